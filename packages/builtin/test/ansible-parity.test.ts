/**
 * Same steps, run by Debian's ansible-core against one tree and by shipshape against another on
 * the same lab host: every step must agree on changed/failed, and the trees must end identical
 * (types, modes, bytes, link targets).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ModuleTask } from '@shipshape/core';
import { startLab, type Lab } from '@shipshape/testlab';
import { modules } from '@shipshape/builtin';
import { runOn } from './lab.js';

const run = promisify(execFile);
let lab: Lab;
const local = mkdtempSync(join(tmpdir(), 'shipshape-parity-'));

beforeAll(async () => {
  lab = await startLab({ id: 54, hosts: [{ name: 'deb', profile: 'debian' }] });
  mkdirSync(join(local, 'tree/sub'), { recursive: true });
  writeFileSync(join(local, 'tree/a.txt'), 'A\n');
  writeFileSync(join(local, 'tree/sub/b.txt'), 'B\n', { mode: 0o750 });
  writeFileSync(join(local, 'app.j2'), '# managed\n{% for s in servers %}\nserver {{ s }}\n{% endfor %}\n{# comment #}\nport={{ port | default(80) }}\n');
});
afterAll(async () => {
  await lab?.stop();
});

type Step = readonly [module: string, args: Record<string, unknown>];

/**
 * `@` at the start of a string argument stands for the scenario's root on the host, `%` for a
 * per-side name prefix (accounts are host-wide, so each side manages its own names).
 */
function place(args: Record<string, unknown>, root: string, prefix = ''): Record<string, unknown> {
  const one = (v: unknown): unknown =>
    typeof v === 'string' && v.startsWith('@') ? root + v.slice(1) : typeof v === 'string' && v.startsWith('%') ? prefix + v.slice(1) : Array.isArray(v) ? v.map(one) : v;
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, one(v)]));
}

async function ansible(module: string, args: Record<string, unknown>, vars: Record<string, unknown>): Promise<{ changed: boolean; failed: boolean; msg?: string; raw: Record<string, any> }> {
  const varsFile = join(local, 'vars.json');
  writeFileSync(varsFile, JSON.stringify(vars));
  const { stdout } = await run('ansible', ['deb', '-i', lab.inventoryPath, '-m', module, '-a', JSON.stringify(args), '-e', `@${varsFile}`], {
    env: { ...process.env, ANSIBLE_LOAD_CALLBACK_PLUGINS: '1', ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_HOST_KEY_CHECKING: 'False' },
  }).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
  const h = JSON.parse(stdout).plays[0].tasks[0].hosts.deb;
  return { changed: !!h.changed, failed: !!h.failed, msg: h.msg, raw: h };
}

async function ours(module: string, args: Record<string, unknown>): Promise<{ changed: boolean; failed: boolean; msg?: string; data?: Record<string, any> }> {
  const factory = Object.values(modules).find((f) => f.module.name === module)!;
  const task: ModuleTask = factory(args);
  const s = await runOn(lab, 'deb', [task]);
  const r = s.results[0]!.result;
  return { changed: r.changed, failed: r.status === 'failed', msg: r.msg, data: r.data };
}

/** Every path below root: type, mode, bytes or link target. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(root, r));
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) out[r] = `link -> ${readlinkSync(join(root, r))}`;
      else if (st.isDirectory()) {
        out[r] = `dir ${mode}`;
        walk(r);
      } else out[r] = `file ${mode} nlink=${st.nlink} ${JSON.stringify(readFileSync(join(root, r), 'utf8'))}`;
    }
  };
  walk('');
  return out;
}

async function steps(name: string, list: readonly Step[], vars: Record<string, unknown>, roots: { ansible: string; ours: string }): Promise<void> {
  const log: string[] = [];
  for (const [module, args] of list) {
    const a = await ansible(module, place(args, roots.ansible, 'qqa'), vars);
    const o = await ours(module, place({ ...args, ...(module === 'template' ? { vars } : {}) }, roots.ours, 'qqs'));
    log.push(`${module} ${JSON.stringify(args)}: ansible ${a.changed ? 'changed' : 'ok'}${a.failed ? ' failed' : ''}, ours ${o.changed ? 'changed' : 'ok'}${o.failed ? ' failed' : ''}`);
    if (a.changed !== o.changed || a.failed !== o.failed) {
      throw new Error(`${name}: step disagrees\n${log.join('\n')}\nansible: ${a.msg}\nours: ${o.msg}`);
    }
  }
}

async function compare(name: string, list: readonly Step[], vars: Record<string, unknown> = {}): Promise<void> {
  const host = lab.hosts[0]!;
  const roots = { ansible: `/root/parity/${name}/ansible`, ours: `/root/parity/${name}/ours` };
  await lab.exec('deb', `mkdir -p '${roots.ansible}' '${roots.ours}'`);
  await steps(name, list, vars, roots);
  const relink = (snap: Record<string, string>, root: string) =>
    Object.fromEntries(Object.entries(snap).map(([k, v]) => [k, v.split(root).join('@')]));
  expect(relink(snapshot(join(host.root, roots.ours)), roots.ours)).toEqual(relink(snapshot(join(host.root, roots.ansible)), roots.ansible));
}

describe('shipshape and ansible-core agree step by step (debian host)', () => {
  it('copy: content, checksum idempotency, attributes, force: false, a directory onto a file fails', () =>
    compare('copy', [
      ['copy', { dest: '@/motd', content: 'hello\n', mode: '0640' }],
      ['copy', { dest: '@/motd', content: 'hello\n', mode: '0640' }],
      ['copy', { dest: '@/motd', content: 'hello\n', mode: 'u=rw,go=r' }],
      ['copy', { dest: '@/motd', content: 'bye\n' }],
      ['copy', { dest: '@/motd', content: 'other\n', force: false }],
      ['copy', { dest: '@/new', content: 'x', force: false }],
      ['file', { path: '@/d', state: 'directory' }],
      ['copy', { dest: '@/d', content: 'x' }],
    ]));

  it('copy: a controller tree, with and without the trailing slash', () =>
    compare('tree', [
      ['copy', { src: join(local, 'tree'), dest: '@/t1', directory_mode: '0750' }],
      ['copy', { src: join(local, 'tree'), dest: '@/t1', directory_mode: '0750' }],
      ['copy', { src: `${join(local, 'tree')}/`, dest: '@/t2/' }],
      ['copy', { src: `${join(local, 'tree')}/`, dest: '@/t2/' }],
      ['copy', { src: join(local, 'tree/a.txt'), dest: '@/t2' }],
      ['copy', { src: join(local, 'tree'), dest: '@/t3', mode: 'preserve' }],
      ['copy', { src: join(local, 'tree'), dest: '@/t3', mode: 'preserve' }],
    ]));

  it('file: states, symbolic modes, recursion, links, failures', () =>
    compare('file', [
      ['file', { path: '@/d', state: 'directory', mode: '0755' }],
      ['file', { path: '@/d/sub/deeper', state: 'directory' }],
      ['file', { path: '@/d/f', state: 'touch', modification_time: 'preserve', access_time: 'preserve' }],
      ['file', { path: '@/d/f', state: 'touch', modification_time: 'preserve', access_time: 'preserve' }],
      ['file', { path: '@/d/f', mode: 'u+x,g-r' }],
      ['file', { path: '@/d/f', mode: 'u+x,g-r' }],
      ['file', { path: '@/d/f', mode: 'a-x,go+r' }],
      ['file', { path: '@/d', state: 'directory', mode: 'u=rwX,g=rX,o=', recurse: true }],
      ['file', { path: '@/d', state: 'directory', mode: 'u=rwX,g=rX,o=', recurse: true }],
      ['file', { path: '@/l', state: 'link', src: '@/d/f' }],
      ['file', { path: '@/l', state: 'link', src: '@/d/f' }],
      ['file', { path: '@/h', state: 'hard', src: '@/d/f' }],
      ['file', { path: '@/h', state: 'hard', src: '@/d/f' }],
      ['file', { path: '@/d/f', state: 'link', src: '@/x' }],
      ['file', { path: '@/nope', state: 'file' }],
      ['file', { path: '@/gone', state: 'absent' }],
      ['file', { path: '@/d/sub', state: 'absent' }],
      ['file', { path: '@/d/sub', state: 'absent' }],
    ]));

  it('template: loops, comments, defaults, trailing newline', () =>
    compare('template', [
      ['template', { src: join(local, 'app.j2'), dest: '@/app.conf', mode: '0600' }],
      ['template', { src: join(local, 'app.j2'), dest: '@/app.conf', mode: '0600' }],
    ], { servers: ['a', 'b'] }));

  it('cron: cron_file entries added, kept, changed, disabled, removed', () =>
    compare('cron', [
      ['cron', { name: 'one', minute: '5', job: '/bin/one', user: 'root', cron_file: '@/jobs' }],
      ['cron', { name: 'one', minute: '5', job: '/bin/one', user: 'root', cron_file: '@/jobs' }],
      ['cron', { name: 'two', special_time: 'hourly', job: 'echo "$(date)" > /dev/null', user: 'root', cron_file: '@/jobs' }],
      ['cron', { name: 'one', minute: '6', job: '/bin/one', user: 'root', cron_file: '@/jobs', disabled: true }],
      ['cron', { name: 'one', state: 'absent', cron_file: '@/jobs' }],
      ['cron', { name: 'one', state: 'absent', cron_file: '@/jobs' }],
      ['cron', { name: 'x', job: '/bin/x', cron_file: '@/jobs' }],
    ]));

  it('user and group: create, append, replace and drop groups, change shell, remove (host-wide, so per-side names)', async () => {
    await steps('accounts', [
      ['group', { name: '%ops' }],
      ['group', { name: '%ops' }],
      ['user', { name: '%u', groups: ['%ops'], shell: '/bin/sh', comment: 'Parity user' }],
      ['user', { name: '%u', groups: ['%ops'], shell: '/bin/sh', comment: 'Parity user' }],
      ['user', { name: '%u', groups: ['adm'], append: true }],
      ['user', { name: '%u', groups: ['adm'], append: true }],
      ['user', { name: '%u', groups: ['adm'] }],
      ['user', { name: '%u', shell: '/bin/bash', password: '$6$salt$hash' }],
      ['user', { name: '%u', shell: '/bin/bash', password: '$6$salt$hash' }],
      ['user', { name: '%x', groups: ['nosuchgroup'] }],
      ['group', { name: '%ops', state: 'absent' }],
    ], {}, { ansible: '', ours: '' });
    const [passwd, group, shadow] = ['/etc/passwd', '/etc/group', '/etc/shadow'].map((f) => readFileSync(join(lab.hosts[0]!.root, f), 'utf8').split('\n'));
    // each side's own lines (ids masked: each side got the next free ones) and the groups its user is in
    const view = (p: string) => ({
      own: [passwd!, group!, shadow!].map((ls) => ls.filter((l) => l.startsWith(p)).map((l) => l.split(p).join('NAME').replace(/:\d+(?=:)/g, ':ID'))),
      memberOf: group!.filter((l) => (l.split(':')[3] ?? '').split(',').includes(`${p}u`)).map((l) => l.split(':')[0]!.split(p).join('NAME')),
    });
    expect(view('qqs')).toEqual(view('qqa'));
    expect(view('qqs').memberOf).toEqual(['adm']);
    await steps('accounts-removal', [
      ['user', { name: '%u', state: 'absent', remove: true }],
      ['user', { name: '%u', state: 'absent', remove: true }],
    ], {}, { ansible: '', ours: '' });
    expect(readFileSync(join(lab.hosts[0]!.root, '/etc/passwd'), 'utf8')).not.toMatch(/^qq[as]u:/m);
  });

  it('stat and slurp report what ansible reports', async () => {
    await lab.exec('deb', "mkdir -p /root/st && printf 'data é\\n' > /root/st/f && chmod 4750 /root/st/f && ln -sfn /root/st/f /root/st/l");
    const keys = ['exists', 'isdir', 'isreg', 'islnk', 'mode', 'uid', 'gid', 'pw_name', 'gr_name', 'size', 'inode', 'dev', 'nlink', 'checksum', 'lnk_target', 'isuid', 'isgid', 'rusr', 'wusr', 'xusr', 'rgrp', 'wgrp', 'xgrp', 'roth', 'woth', 'xoth'];
    for (const args of [{ path: '/root/st/f' }, { path: '/root/st/l' }, { path: '/root/st' }, { path: '/root/st/missing' }, { path: '/root/st/l', follow: true }]) {
      const a = (await ansible('stat', args, {})).raw.stat as Record<string, unknown>;
      const o = (await ours('stat', args)).data!.stat as Record<string, unknown>;
      const pick = (x: Record<string, unknown>) => Object.fromEntries(keys.filter((k) => k in a).map((k) => [k, x[k]]));
      expect([args, pick(o)]).toEqual([args, pick(a)]);
    }
    const a = (await ansible('slurp', { src: '/root/st/f' }, {})).raw;
    const o = (await ours('slurp', { src: '/root/st/f' })).data!;
    expect({ content: o.content, encoding: o.encoding }).toEqual({ content: a.content, encoding: a.encoding });
  });

  it('fetch: same controller layout (dest/<host>/<path>, flat) and changed flags', async () => {
    await lab.exec('deb', "mkdir -p /root/fe && printf 'fetched\\n' > /root/fe/f.txt");
    const sides = { ansible: mkdtempSync(join(tmpdir(), 'parity-fetch-a-')), ours: mkdtempSync(join(tmpdir(), 'parity-fetch-o-')) };
    const list = [
      { src: '/root/fe/f.txt', dest: 'DEST' },
      { src: '/root/fe/f.txt', dest: 'DEST' },
      { src: '/root/fe/f.txt', dest: 'DEST/flat/', flat: true },
      { src: '/root/fe/f.txt', dest: 'DEST/named.txt', flat: true },
      { src: '/root/fe/missing', dest: 'DEST', fail_on_missing: false },
    ];
    for (const args of list) {
      const at = (d: string) => JSON.parse(JSON.stringify(args).split('DEST').join(d)) as Record<string, unknown>;
      const a = await ansible('fetch', at(sides.ansible), {});
      const o = await ours('fetch', at(sides.ours));
      expect([args, o.changed, o.failed]).toEqual([args, a.changed, a.failed]);
    }
    expect(snapshot(sides.ours)).toEqual(snapshot(sides.ansible));
  });
});
