/**
 * Variables as Ansible resolves them, compared with Debian's ansible-core 2.14 on one inventory:
 * magic vars (group_names, groups, hostvars, inventory_hostname_short, ansible_play_hosts...),
 * `{{ }}` in inventory, group_vars and extra vars rendered lazily (a templated ansible_host is
 * where the connection goes), loops reported, role-style defaults, registered results in
 * Ansible's shape. `inventory --host` prints vars as written, like ansible-inventory --host.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { block, loadJinja, LocalConnection, playbook, run, task, type Task, type TaskContext } from '@shipshape/core';
import { command, stat } from '@shipshape/builtin';
import { loadInventory, renderHost } from '@shipshape/inventory';
import { startLab, type Lab } from '@shipshape/testlab';

const LAB_ID = 137;
const VARS = [
  'inventory_hostname', 'inventory_hostname_short', 'group_names', 'groups', 'ansible_host', 'greeting', 'web_count',
  'first_web', 'listy', 'nested', 'flag', 'via_hostvars', 'port', 'ansible_play_hosts', 'ansible_play_hosts_all',
  'ansible_play_batch', 'play_hosts', 'playbook_dir', 'from_extra',
];
const ROLE_VARS = ['port', 'role_only', 'r.rc', 'r.stdout_lines', 'r.stdout', 'r.changed', 'r.failed', 's.stat.exists', 's.stat.size', 's.stat.isdir', 's.changed'];
const EXTRA = { from_extra: 'x{{ n }}', api: 'v2' };

let lab: Lab;
let dir: string;
let ansible: Record<string, Record<string, Record<string, Record<string, unknown>>>>;

function write(rel: string, text: string): void {
  mkdirSync(join(dir, rel, '..'), { recursive: true });
  writeFileSync(join(dir, rel), text);
}

/** Ansible's debug output of each var, per play, task (var name) and host, from the json callback. */
async function ansibleDebug(): Promise<typeof ansible> {
  const env = { ...process.env, ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCALHOST_WARNING: 'False' };
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile('ansible-playbook', ['-i', 'inventory/hosts.ini', '-e', JSON.stringify(EXTRA), 'site.yml'], { cwd: dir, env, maxBuffer: 16 << 20 }, (err, out, stderr) =>
      err && !out ? reject(new Error(`ansible-playbook: ${stderr}`)) : resolve(out));
  });
  const doc = JSON.parse(stdout) as { plays: { play: { name: string }; tasks: { task: { name: string }; hosts: Record<string, Record<string, unknown>> }[] }[] };
  const out: typeof ansible = {};
  for (const p of doc.plays) for (const t of p.tasks) (out[p.play.name] ??= {})[t.task.name] = t.hosts;
  return out;
}

/** Each var as debug var=NAME shows it: NAME templated as `{{ NAME }}`. */
const report = (names: readonly string[]) => async (_h: unknown, c: TaskContext) => {
  const { templateValue } = await loadJinja();
  return { data: Object.fromEntries(names.map((n) => [n, templateValue(`{{ ${n} }}`, c.vars, n)])) };
};

beforeAll(async () => {
  lab = await startLab({ id: LAB_ID, hosts: 1 });
  dir = mkdtempSync(join(tmpdir(), 'vars-parity-'));
  const conn = `ansible_user=root ansible_ssh_private_key_file=${lab.keyPath} ansible_ssh_common_args='-o UserKnownHostsFile=${lab.knownHostsPath} -o StrictHostKeyChecking=yes'`;
  write('inventory/hosts.ini', [
    'lone n=9',
    '[web]',
    `web1 n=${lab.hosts[0]!.address.split('.')[3]} ${conn}`,
    'web2.example.com n=2',
    '[db]',
    'db1 n=3',
    '[prod:children]',
    'web',
    '[web:vars]',
    `ansible_host="${lab.hosts[0]!.address.split('.').slice(0, 3).join('.')}.{{ n }}"`,
    'loop1="{{ loop2 }}"',
    'loop2="{{ loop1 }}"',
    '',
  ].join('\n'));
  write('inventory/group_vars/all.yml', [
    'app: billing',
    'greeting: "hello {{ inventory_hostname_short }} in {{ group_names | join(\',\') }}"',
    'web_count: "{{ groups[\'web\'] | length }}"',
    'first_web: "{{ groups[\'web\'] | first }}"',
    'listy: "{{ groups[\'web\'] }}"',
    'nested: { url: "http://{{ ansible_host | default(inventory_hostname) }}:{{ port }}/{{ api }}", items: ["{{ app }}-1", "{{ n * 10 }}"] }',
    'port: 8080',
    'flag: "{{ n > 1 }}"',
    'via_hostvars: "{{ hostvars[\'db1\'][\'n\'] }}"',
    '',
  ].join('\n'));
  write('roles/app/defaults/main.yml', 'port: 1\nrole_only: "from {{ app }} defaults"\n');
  write('roles/app/tasks/main.yml', [
    '- command: printf "a\\nb\\n"',
    '  register: r',
    '- stat: { path: /etc/hostname }',
    '  register: s',
    ...ROLE_VARS.map((v) => `- name: ${v}\n  debug: { var: ${v} }`),
    '',
  ].join('\n'));
  write('site.yml', [
    '- name: magic',
    '  hosts: all',
    '  gather_facts: false',
    '  tasks:',
    ...VARS.map((v) => `    - name: ${v}\n      debug: { var: ${v} }`),
    '    - name: loop1',
    '      debug: { var: loop1 }',
    '      ignore_errors: true',
    '- name: role',
    '  hosts: web1',
    '  gather_facts: false',
    '  roles: [app]',
    '',
  ].join('\n'));
  ansible = await ansibleDebug();
}, 180_000);

afterAll(async () => {
  await lab?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const load = () => loadInventory(join(dir, 'inventory/hosts.ini'), { playbookDir: dir, extraVars: EXTRA, sshConfigPath: false });

describe('variables as Ansible resolves them', () => {
  it('inventory --host prints the vars as written, like ansible-inventory --host', async () => {
    const inv = await load();
    const out = await new Promise<string>((resolve, reject) =>
      execFile('ansible-inventory', ['-i', 'inventory/hosts.ini', '-e', JSON.stringify(EXTRA), '--host', 'web1'], { cwd: dir }, (e, o, se) => (e ? reject(new Error(se)) : resolve(o))));
    expect(JSON.parse(renderHost(inv, 'web1'))).toEqual(JSON.parse(out));
    expect(renderHost(inv, 'web1')).toContain('{{ n }}');
  });

  it('a templated ansible_host is where the connection goes, over real SSH', async () => {
    const inv = await load();
    expect(inv.hosts.find((h) => h.name === 'web1')!.connection.host).toBe(lab.hosts[0]!.address);
    expect(inv.hosts.find((h) => h.name === 'db1')!.connection.host).toBe('db1');
    const summary = await run(playbook({ name: 'where', hosts: 'web1', tasks: [command({ argv: ['cat', '/etc/hostname'] })] }), { inventory: inv });
    expect(summary.results.filter((r) => r.result.status === "failed").map((r) => `${r.host}: ${r.result.msg}`)).toEqual([]);
    expect(summary.results[0]!.result.stdout?.trim()).toBe(lab.hosts[0]!.name);
  });

  it('magic and templated vars match ansible debug var=..., for every host', async () => {
    const inv = await load();
    const pb = playbook({ name: 'magic', hosts: 'all', tasks: [task('vars', report(VARS))] });
    const summary = await run(pb, { inventory: inv, extraVars: EXTRA, playbookDir: dir, connect: async (h) => new LocalConnection(h.name) });
    expect(summary.results.filter((r) => r.result.status === "failed").map((r) => `${r.host}: ${r.result.msg}`)).toEqual([]);
    for (const { host, result } of summary.results) {
      for (const v of VARS) expect({ host, v, value: result.data?.[v] }).toEqual({ host, v, value: ansible.magic![v]![host]![v] });
    }
  });

  it('a var that needs itself is an error naming the loop, as in Ansible', async () => {
    expect(String(ansible.magic!.loop1!.web1!.msg)).toMatch(/recursive loop detected in template string: \{\{ loop[12] \}\}/);
    const inv = await load();
    const pb = playbook({ name: 'loop', hosts: 'web1', tasks: [task('loop1', report(['loop1']))] });
    const summary = await run(pb, { inventory: inv, extraVars: EXTRA, connect: async (h) => new LocalConnection(h.name) });
    expect(summary.results[0]!.result.status).toBe('failed');
    expect(summary.results[0]!.result.msg).toMatch(/recursive loop detected in template string: \{\{ loop[12] \}\}/);
  });

  it('block defaults are the lowest precedence and registered results have Ansible\'s shape, as a role\'s', async () => {
    const inv = await load();
    const role: Task = block('app', {
      defaults: { port: 1, role_only: 'from {{ app }} defaults' },
      block: [
        command({ argv: ['printf', 'a\\nb\\n'] }, { register: 'r' }),
        stat({ path: '/etc/hostname' }, { register: 's' }),
        task('vars', report(ROLE_VARS)),
      ],
    });
    const summary = await run(playbook({ name: 'role', hosts: 'web1', tasks: [role] }), { inventory: inv, extraVars: EXTRA, playbookDir: dir });
    expect(summary.results.filter((r) => r.result.status === "failed").map((r) => `${r.host}: ${r.result.msg}`)).toEqual([]);
    const data = summary.results.find((r) => r.task === 'vars')!.result.data!;
    for (const v of ROLE_VARS) expect({ v, value: data[v] }).toEqual({ v, value: ansible.role![`app : ${v}`]!.web1![v] });
  });
});
