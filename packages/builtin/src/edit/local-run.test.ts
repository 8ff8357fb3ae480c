/**
 * The four editing modules end to end through core's runner on a real (local) host: gather
 * reads the file, apply writes atomically with mode/backup/validate; a second run changes nothing;
 * check mode writes nothing; a failing validate leaves the file alone.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ModuleTask, playbook, run, staticInventory } from '@shipshape/core';
import { blockinfile } from '../modules/blockinfile.js';
import { iniFile } from '../modules/ini_file.js';
import { lineinfile } from '../modules/lineinfile.js';
import { replace } from '../modules/replace.js';

let dir: string;
const inventory = staticInventory([{ name: 'local', vars: {}, connection: { type: 'local', host: 'localhost' } }]);
const go = (tasks: ModuleTask[], check = false) => run(playbook({ name: 'edit', hosts: 'all', tasks }), { inventory, check });
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

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shipshape-edit-'));
  writeFileSync(join(dir, 'sshd_config'), SSHD);
  writeFileSync(join(dir, 'php.ini'), '[PHP]\nengine = On\n\n[Date]\n;date.timezone =\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('edit modules on a real host', () => {
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
