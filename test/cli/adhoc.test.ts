/**
 * `shipshape adhoc` against real `ansible`: the same arguments on the same lab host print the same
 * bytes and exit with the same code; typos in playbooks and --limit fail before any host is touched.
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli as shipshape, FIX } from '../support/cli.js';
import { useLab } from '../support/lab.js';

const lab = useLab({ id: 165, hosts: [{ name: 'deb', profile: 'debian' }, { name: 'bb', profile: 'busybox' }] });

/** Real ansible; an explicit interpreter keeps discovered_interpreter_python out of results. */
function ansible(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    execFile('ansible', [...args, '-e', 'ansible_python_interpreter=/usr/bin/python3'], { encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } },
      (e, out, err) => done({ code: e ? Number(e.code) : 0, out, err }));
  });
}

/** Ansible's answers, gathered a few at a time before the tests (each `ansible` start costs seconds here). */
const reference = new Map<string, { code: number; out: string; err: string }>();
async function gatherReference(cases: readonly (readonly string[])[]): Promise<void> {
  const queue = [...cases];
  await Promise.all([0, 1, 2, 3].map(async () => {
    for (let args = queue.shift(); args; args = queue.shift()) reference.set(args.join('\0'), await ansible([...args]));
  }));
}

const SAME_AS_ANSIBLE: string[][] = [
  ['-a', 'echo hi'],
  ['-m', 'shell', '-a', 'echo out; echo err >&2; exit 3'],
  ['-m', 'command', '-a', 'chdir=/etc cat hostname'],
  ['-a', 'echo hi', '--check'],
  ['-m', 'ping'],
  ['-m', 'debug', '-a', 'msg="hello {{ inventory_hostname }}"', '--check'],
  ['-m', 'debug', '-a', 'var=nosuch'],
  ['-m', 'debug', '-a', 'msg="{{ [1, 2] + [inventory_hostname] }}"'],
  ['-m', 'debug', '-a', 'msg="{{ {\'a\': true} }}"'],
  ['-m', 'set_fact', '-a', 'a=1 b="two words" c=yes'],
  ['-m', 'assert', '-a', 'that="1 == 1" success_msg=fine'],
  ['-m', 'assert', '-a', '{"that": ["1 == 1", "2 == 3"], "fail_msg": "nope"}'],
  ['-m', 'fail'],
  ['-m', 'setup', '-a', 'filter=ansible_distribution*version'],
  ['-m', 'ansible.builtin.file', '-a', 'path=/root/nothing-here state=absent'],
  ['-m', 'debug', '-a', 'msg="{{ nosuch | default(omit) }}"'],
  ['-m', 'set_fact', '-a', 'a=1 b="{{ nosuch | default(omit) }}"'],
  ['-m', 'file', '-a', 'path=/root/nothing-here state=absent mode="{{ nosuch | default(omit) }}"'],
  ['-m', 'debug', '-a', 'msg="{{ \'abc\' | regex_replace(\'(b)\', \'\\1\\1\') }} {{ \'a1b22\' | regex_replace(\'\\d+\', \'N\') }}"'],
  ['-m', 'debug', '-a', 'msg="{{ 59 | random(seed=inventory_hostname) }} {{ query(\'sequence\', \'start=1 end=3 format=h%02d\') }}"'],
];

const ghostInventory = () => join(lab.dir, 'ghost.ini');
const ghost = ['ghost', '-i', 'GHOST', '-m', 'ping'];
const raw = ['bb', '-i', 'INV', '-m', 'raw', '-a', 'echo hi; echo err >&2'];
const noLimit = ['all', '-i', 'INV', '-l', 'nomatch', '-m', 'ping'];

beforeAll(async () => {
  writeFileSync(ghostInventory(), `[g]\nghost ansible_host=127.77.165.250 ansible_user=root\n`);
  const resolve = (a: readonly string[]) => a.map((x) => (x === 'INV' ? lab.inventoryPath : x === 'GHOST' ? ghostInventory() : x));
  await gatherReference([...SAME_AS_ANSIBLE.map((a) => ['deb', '-i', lab.inventoryPath, ...a]), resolve(ghost), resolve(raw), resolve(noLimit)]);
});
const theirs = (args: readonly string[]) => reference.get(args.map((x) => (x === 'INV' ? lab.inventoryPath : x === 'GHOST' ? ghostInventory() : x)).join('\0'))!;

describe('shipshape adhoc prints what ansible prints', () => {
  it.each(SAME_AS_ANSIBLE.map((a) => [a.join(' '), a]))('%s', (_, args) => {
    const ours = shipshape(['adhoc', 'deb', '-i', lab.inventoryPath, ...args]);
    const ref = reference.get(['deb', '-i', lab.inventoryPath, ...args].join('\0'))!;
    expect({ code: ours.code, out: ours.out }).toEqual({ code: ref.code, out: ref.out });
  });

  it('raw runs shell text as it is on a busybox host (no Python needed)', () => {
    const ours = shipshape(['adhoc', '-i', lab.inventoryPath, 'bb', '-m', 'raw', '-a', 'echo hi; echo err >&2']);
    expect(ours).toEqual({ code: 0, out: 'bb | CHANGED | rc=0 >>\nhi\nerr\n\n', err: '' });
    // Ansible's raw runs on a pty: the same lines among the login noise, with CRLF.
    expect(theirs(raw).code).toBe(0);
    expect(theirs(raw).out).toMatch(/^bb \| CHANGED \| rc=0 >>\n([^\n]*\n)*hi\r\nerr\r\n/);
  });

  it('key=value args are rendered per host and the module converges (second run changes nothing)', () => {
    const args = ['adhoc', 'all', '-i', lab.inventoryPath, '-m', 'copy', '-a', 'content="{{ inventory_hostname }}\\n" dest=/root/adhoc-kv.txt'];
    const first = shipshape(args);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^deb \| CHANGED => \{\n {4}"changed": true,/m);
    expect(shipshape(args).out).not.toContain('CHANGED');
    expect(readFileSync(join(lab.hosts[0]!.root, 'root/adhoc-kv.txt'), 'utf8')).toBe('deb\n');
    expect(readFileSync(join(lab.hosts[1]!.root, 'root/adhoc-kv.txt'), 'utf8')).toBe('bb\n');
  });

  it('key=value text is converted to the numbers, booleans and lists a module wants, as Ansible\'s argument spec does', () => {
    const sshd = `host=${lab.hosts[0]!.address} port=${lab.hosts[0]!.port}`;
    const wait = shipshape(['adhoc', 'deb', '-i', lab.inventoryPath, '-m', 'wait_for', '-a', `${sshd} timeout=5 sleep=1`]);
    expect(wait.code).toBe(0);
    expect(wait.out).toMatch(/^deb \| SUCCESS => /);
    const dir = shipshape(['adhoc', 'deb', '-i', lab.inventoryPath, '-m', 'file', '-a', 'path=/root/adhoc-typed state=directory mode=0750 recurse=no']);
    expect(dir.code).toBe(0);
    expect(statSync(join(lab.hosts[0]!.root, 'root/adhoc-typed')).mode & 0o7777).toBe(0o750);
    const bad = shipshape(['adhoc', 'deb', '-i', lab.inventoryPath, '-m', 'wait_for', '-a', `${sshd} timeout=soon`]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/field "timeout" has bad value "soon"/);
  });

  it('an unreachable host is UNREACHABLE! with exit 4, as in Ansible', () => {
    const ours = shipshape(['adhoc', 'ghost', '-i', ghostInventory(), '-m', 'ping']);
    expect(ours.code).toBe(4);
    expect(ours.out).toMatch(/^ghost \| UNREACHABLE! => \{\n {4}"changed": false,\n {4}"msg": ".*",\n {4}"unreachable": true\n\}\n$/);
    expect(theirs(ghost).code).toBe(4);
  });

  it('a pattern matching nothing warns and exits 0; a --limit matching nothing is an error (exit 1), both as in Ansible', () => {
    const none = shipshape(['adhoc', 'nomatch', '-i', lab.inventoryPath, '-m', 'ping']);
    expect(none.code).toBe(0);
    expect(none.err).toContain('[WARNING]: No hosts matched, nothing to do');
    const ours = shipshape(['adhoc', 'all', '-i', lab.inventoryPath, '-l', 'nomatch', '-m', 'ping']);
    expect(ours.code).toBe(1);
    expect(theirs(noLimit).code).toBe(1);
    expect(ours.err).toBe(theirs(noLimit).err);
  });

  it('setup, set_fact, assert, debug, ping and fail work in a playbook; a second run changes nothing either', () => {
    for (let n = 0; n < 2; n++) {
      const r = shipshape(['run', `${FIX}/ansible-modules.ts`, '-i', lab.inventoryPath]);
      expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
      expect(r.out).toMatch(/^deb +: ok=5 +changed=0 +unreachable=0 +failed=0 +skipped=1/m);
      expect(r.out).toMatch(/^bb +: ok=5 +changed=0 +unreachable=0 +failed=0 +skipped=1/m);
    }
  });
});

describe('typos fail before any host is touched (exit 1, the typo named)', () => {
  const marker = () => existsSync(join(lab.hosts[0]!.root, 'root/typo-marker'));
  it.each([
    ['a notify naming no handler', [`${FIX}/typo-notify.ts`], /The requested handler 'restart ap' was not found/],
    ['an unknown task option', [`${FIX}/typo-option.ts`], /'notfy' is not a valid attribute for a Task/],
    ['an unknown --start-at-task', [`${FIX}/vars.ts`, '--start-at-task', 'secnod'], /No matching task "secnod" found/],
    ['a --limit matching no host', [`${FIX}/vars.ts`, '--limit', 'nosuchhost'], /\[WARNING\]: Could not match supplied host pattern, ignoring: nosuchhost\nERROR! Specified inventory, host pattern and\/or --limit leaves us with no hosts to target\.\n$/],
  ])('%s', (_, args, message) => {
    const r = shipshape(['run', ...(args as string[]), '-i', lab.inventoryPath]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(message as RegExp);
    expect(r.out).toBe('');
    expect(marker()).toBe(false);
    expect(existsSync(join(lab.hosts[0]!.root, 'root/vars-first'))).toBe(false);
  });
});
