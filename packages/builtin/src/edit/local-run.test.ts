/**
 * The four editing modules end to end through core's runner on the local machine, once through
 * /bin/sh and once through a busybox-only shell (PATH holds nothing but busybox applets, as on
 * ESXi): gather reads the file, apply writes atomically with mode/backup/validate; a second run
 * changes nothing; check mode writes nothing; a failing validate leaves the file alone.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Connection, type ExecOptions, type ExecResult, type ModuleTask, playbook, run, staticInventory } from '@shipshape/core';
import { blockinfile } from '../modules/blockinfile.js';
import { iniFile } from '../modules/ini_file.js';
import { lineinfile } from '../modules/lineinfile.js';
import { replace } from '../modules/replace.js';

/** A connection to this machine whose shell is busybox ash and whose PATH has only busybox applets. */
function busyboxOnly(bin: string): Connection {
  return {
    name: 'busybox',
    exec(command, options: ExecOptions = {}): Promise<ExecResult> {
      return new Promise((resolve, reject) => {
        busyboxExecs++;
        const p = spawn(BUSYBOX, ['sh', '-c', command.text], { env: { PATH: bin, ...options.env }, cwd: options.cwd });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        p.stdout.on('data', (b: Buffer) => out.push(b));
        p.stderr.on('data', (b: Buffer) => err.push(b));
        p.on('error', reject);
        p.on('close', (code) => {
          const bytes = Buffer.concat(out);
          resolve({ code: code ?? -1, stdout: bytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), stdoutBytes: bytes });
        });
        p.stdin.end(typeof options.stdin === 'string' || Buffer.isBuffer(options.stdin) ? options.stdin : undefined);
      });
    },
    upload: () => Promise.reject(new Error('not used')),
    download: () => Promise.reject(new Error('not used')),
    close: async () => {},
  };
}

let root: string;
let busyboxExecs = 0;
/** busybox-static (in .ci/apt-packages) */
const BUSYBOX = ['/usr/bin/busybox', '/bin/busybox'].find((p) => existsSync(p)) ?? 'busybox';
let dir: string;
let shell: 'sh' | 'busybox';
const inventory = staticInventory([{ name: 'local', vars: {}, connection: { type: 'local', host: 'localhost' } }]);
const go = (tasks: ModuleTask[], check = false) =>
  run(playbook({ name: 'edit', hosts: 'all', tasks }), {
    inventory,
    check,
    ...(shell === 'busybox' ? { connect: async () => busyboxOnly(join(root, 'bin')) } : {}),
  });
const read = (f: string): string => readFileSync(join(dir, f), 'utf8');

const SSHD = '#PermitRootLogin prohibit-password\n#PasswordAuthentication yes\nSubsystem\tsftp\t/usr/lib/openssh/sftp-server\n';
const tasks = (): ModuleTask[] => [
  lineinfile({ path: join(dir, 'sshd_config'), regexp: '^#?PasswordAuthentication', line: 'PasswordAuthentication no',
    validate: 'grep -q "^PasswordAuthentication no" %s' }),
  lineinfile({ path: join(dir, 'sshd_config'), regexp: '^#?PermitRootLogin', line: 'PermitRootLogin no' }),
  replace({ path: join(dir, 'sshd_config'), regexp: '^(Subsystem\\s+sftp\\s+).*$', replace: '\\g<1>internal-sftp' }),
  blockinfile({ path: join(dir, 'sshd_config'), backup: true, block: 'Match User backupuser\n  ForceCommand internal-sftp' }),
  iniFile({ path: join(dir, 'php.ini'), section: 'Date', option: 'date.timezone', value: 'UTC', mode: '0600' }),
  lineinfile({ path: join(dir, "new dir/it's here.conf"), line: '$(touch pwned) `id` "q"', create: true }),
];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'shipshape-edit-'));
  mkdirSync(join(root, 'bin'));
  const list = await new Promise<string>((resolve) => {
    const p = spawn(BUSYBOX, ['--list']);
    let text = '';
    p.stdout.on('data', (b: Buffer) => (text += b.toString()));
    p.on('close', () => resolve(text));
  });
  for (const applet of list.split('\n').filter(Boolean)) symlinkSync(BUSYBOX, join(root, 'bin', applet));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.each(['sh', 'busybox'] as const)('edit modules on a real host (%s)', (kind) => {
  beforeAll(() => {
    shell = kind;
    dir = join(root, kind);
    mkdirSync(dir);
    writeFileSync(join(dir, 'sshd_config'), SSHD);
    writeFileSync(join(dir, 'php.ini'), '[PHP]\nengine = On\n\n[Date]\n;date.timezone =\n');
  });

  it('check mode reports the changes and writes nothing', async () => {
    const s = await go(tasks(), true);
    expect(s.results.map((r) => r.result.changed)).toEqual([true, true, true, true, true, true]);
    expect(read('sshd_config')).toBe(SSHD);
    expect(existsSync(join(dir, 'new dir'))).toBe(false);
  });

  it('applies all edits, then a second run changes nothing', async () => {
    const first = await go(tasks());
    expect(first.ok).toBe(true);
    expect(first.results.map((r) => r.result.status)).toEqual(['changed', 'changed', 'changed', 'changed', 'changed', 'changed']);
    expect(read('sshd_config')).toBe(
      'PermitRootLogin no\nPasswordAuthentication no\nSubsystem\tsftp\tinternal-sftp\n' +
        '# BEGIN ANSIBLE MANAGED BLOCK\nMatch User backupuser\n  ForceCommand internal-sftp\n# END ANSIBLE MANAGED BLOCK\n',
    );
    expect(read('php.ini')).toBe('[PHP]\nengine = On\n\n[Date]\ndate.timezone = UTC\n');
    expect(statSync(join(dir, 'php.ini')).mode & 0o777).toBe(0o600);
    expect(read("new dir/it's here.conf")).toBe('$(touch pwned) `id` "q"\n');
    expect(existsSync(join(dir, 'new dir', 'pwned'))).toBe(false);
    expect(readdirSync(dir).filter((f) => f.startsWith('sshd_config.') && f.endsWith('~'))).toHaveLength(1);

    const second = await go(tasks());
    expect(second.results.map((r) => r.result.changed)).toEqual([false, false, false, false, false, false]);
    if (kind === 'busybox') {
      expect(busyboxExecs).toBeGreaterThan(0);
      const r = await busyboxOnly(join(root, 'bin')).exec({
        text: 'for t in stat cat mktemp; do $t --version >/dev/null 2>&1 && echo "GNU $t"; done; command -v bash || echo no-bash',
        display: '',
      });
      expect(r.stdout).toBe('no-bash\n');
    }
  });

  it('a failing validate fails the task and keeps the file', async () => {
    const before = read('sshd_config');
    const s = await go([lineinfile({ path: join(dir, 'sshd_config'), line: 'Bogus yes', validate: 'false %s' })]);
    expect(s.results[0]!.result.status).toBe('failed');
    expect(read('sshd_config')).toBe(before);
  });

  it('a mode-only difference is a change, fixed by chmod', async () => {
    const s = await go([iniFile({ path: join(dir, 'php.ini'), section: 'Date', option: 'date.timezone', value: 'UTC', mode: '0640' })]);
    expect(s.results[0]!.result).toMatchObject({ changed: true, msg: 'OK' }) // ini_file keeps its msg;
    expect(statSync(join(dir, 'php.ini')).mode & 0o777).toBe(0o640);
  });
});
