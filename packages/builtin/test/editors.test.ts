/** lineinfile, blockinfile, replace and ini_file over real SSH on a debian and a busybox-only host. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Lab } from '@shipshape/testlab';
import { blockinfile, iniFile, lineinfile, replace } from '../src/index.js';
import { HOSTS, runOn, runTwice, startBuiltinLab } from './lab.js';

let lab: Lab;
beforeAll(async () => {
  lab = await startBuiltinLab(55);
});
afterAll(async () => {
  await lab?.stop();
});

const SSHD = '#PasswordAuthentication yes\nPermitRootLogin yes\nSubsystem sftp /usr/lib/openssh/sftp-server\n';
const root = (host: string) => lab.hosts.find((h) => h.name === host)!.root;
const srv = (host: string, file: string) => {
  mkdirSync(join(root(host), 'srv'), { recursive: true });
  return join(root(host), 'srv', file);
};

describe.each(HOSTS.map((h) => h.name))('file editors on %s', (host) => {
  it('edit sshd_config, a php.ini and a CRLF file twice; the second run changes nothing', async () => {
    const dir = join(root(host), 'srv');
    srv(host, '');
    writeFileSync(join(dir, 'sshd_config'), SSHD, { mode: 0o600 });
    writeFileSync(join(dir, 'php.ini'), '[PHP]\nengine = On\n[Date]\n;date.timezone =\n');
    writeFileSync(join(dir, 'crlf.conf'), 'a=1\r\nb=2\r\n');
    const tasks = [
      lineinfile({ path: '/srv/sshd_config', regexp: '^#?PasswordAuthentication', line: 'PasswordAuthentication no' }),
      replace({ path: '/srv/sshd_config', regexp: '^Subsystem\\s+sftp\\s+.*$', replace: 'Subsystem sftp internal-sftp' }),
      blockinfile({ path: '/srv/sshd_config', block: 'Match User backupuser\n    ChrootDirectory /srv/backup\n    ForceCommand internal-sftp' }),
      iniFile({ path: '/srv/php.ini', section: 'Date', option: 'date.timezone', value: 'Europe/Berlin' }),
      lineinfile({ path: '/srv/crlf.conf', line: 'c=3' }),
      lineinfile({ path: '/srv/new dir/it\'s "new".conf', line: 'x $(touch /srv/pwned) `id`', create: true }),
    ];
    await runTwice(lab, host, tasks);
    expect(readFileSync(join(dir, 'sshd_config'), 'utf8')).toBe(
      'PasswordAuthentication no\nPermitRootLogin yes\nSubsystem sftp internal-sftp\n# BEGIN ANSIBLE MANAGED BLOCK\nMatch User backupuser\n    ChrootDirectory /srv/backup\n    ForceCommand internal-sftp\n# END ANSIBLE MANAGED BLOCK\n',
    );
    expect(statSync(join(dir, 'sshd_config')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'php.ini'), 'utf8')).toBe('[PHP]\nengine = On\n[Date]\ndate.timezone = Europe/Berlin\n');
    expect(readFileSync(join(dir, 'crlf.conf'), 'utf8')).toBe('a=1\r\nb=2\r\nc=3\n');
    expect(readFileSync(join(dir, 'new dir/it\'s "new".conf'), 'utf8')).toBe('x $(touch /srv/pwned) `id`\n');
    expect(() => statSync(join(dir, 'pwned'))).toThrow();
  });

  it('check mode leaves the file untouched and diff shows the change', async () => {
    const file = srv(host, 'check.conf');
    writeFileSync(file, 'keep\n');
    const s = await runOn(lab, host, [lineinfile({ path: '/srv/check.conf', line: 'added' })], { check: true, diff: true });
    expect(s.results[0]!.result).toMatchObject({ status: 'changed', diff: [{ path: '/srv/check.conf', before: 'keep\n', after: 'keep\nadded\n' }] });
    expect(readFileSync(file, 'utf8')).toBe('keep\n');
  });

  it('validate runs on the host against the temp file and a failing check keeps the original', async () => {
    const file = srv(host, 'validated.conf');
    writeFileSync(file, 'good\n');
    const s = await runOn(lab, host, [lineinfile({ path: '/srv/validated.conf', line: 'bad', validate: `sh -c '! grep -q bad "$1"' sh %s` })]);
    expect(s.results[0]!.result.status).toBe('failed');
    expect(s.results[0]!.result.msg).toMatch(/validat/);
    expect(readFileSync(file, 'utf8')).toBe('good\n');
  });
});
