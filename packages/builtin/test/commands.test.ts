import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Lab } from '@shipshape/testlab';
import { command, copy, cron, fetch, file, shell, slurp, stat, template, wait_for } from '@shipshape/builtin';
import { HOSTS, onHost, resultOf, runOn, runTwice, startBuiltinLab } from './lab.js';

let lab: Lab;
beforeAll(async () => {
  lab = await startBuiltinLab(51);
  // a cron-capable host has these (ESXi does); the bare busybox lab root does not
  for (const h of HOSTS) await lab.exec(h.name, 'mkdir -p /var/spool/cron/crontabs /etc/cron.d');
});
afterAll(async () => {
  await lab?.stop();
});

const NASTY = `a b 'single' "double" $(touch /root/pwned1) \`touch /root/pwned2\` ; touch /root/pwned3\nline2 é ü 日本 \\ $HOME *`;
const NASTY_PATH = `/root/dir with spaces/it's "here"`;

describe.each(HOSTS.map((h) => h.name))('command-like modules on %s', (host) => {
  const fs = () => onHost(lab, host);
  const notPwned = () => {
    for (const p of ['pwned1', 'pwned2', 'pwned3']) expect(fs().exists(`/root/${p}`)).toBe(false);
  };

  it('command: argv words are literal; creates makes the second run a no-op', async () => {
    const s = await runTwice(lab, host, [
      command({ argv: ['mkdir', '-p', '/root/dir with spaces'], creates: '/root/dir with spaces' }, { name: 'mkdir' }),
      command({ argv: ['sh', '-c', 'printf %s "$1" > "$2"', 'sh', NASTY, NASTY_PATH], creates: '/root/dir with*/it*' }, { name: 'write' }),
      command({ argv: ['touch', 'relative file'], chdir: '/root/dir with spaces', creates: 'relative file' }, { name: 'relative' }),
    ]);
    expect(resultOf(s, 'relative').changed).toBe(true);
    expect(fs().exists('/root/dir with spaces/relative file')).toBe(true);
    expect(resultOf(s, 'write')).toMatchObject({ changed: true, rc: 0 });
    expect(fs().text(NASTY_PATH)).toBe(NASTY);
    notPwned();
  });

  it('command: a cmd string is split into words, never run by a shell', async () => {
    const s = await runOn(lab, host, [command({ cmd: `echo "two words" ; touch /root/pwned3 $(touch /root/pwned1)` }, { name: 'echo' })]);
    expect(resultOf(s, 'echo').stdout).toBe('two words ; touch /root/pwned3 $(touch /root/pwned1)');
    notPwned();
  });

  it('shell: runs shell text with chdir, env (quoted), stdin; removes skips; check mode runs nothing', async () => {
    const s = await runOn(lab, host, [
      shell({ cmd: 'cat > out.txt; printf "%s" "$VALUE" >> out.txt', chdir: '/root', stdin: 'from stdin', env: { VALUE: NASTY } }, { name: 'sh' }),
    ]);
    expect(resultOf(s, 'sh')).toMatchObject({ changed: true, rc: 0 });
    expect(fs().text('/root/out.txt')).toBe(`from stdin\n${NASTY}`);
    notPwned();
    const skipped = await runTwice(lab, host, [shell({ cmd: 'touch /root/pwned1', removes: '/root/no such file' })]);
    expect(skipped.stats[host]!.changed).toBe(0);
    const check = await runOn(lab, host, [shell({ cmd: 'touch /root/checked' })], { check: true });
    expect(check.stats[host]!.changed).toBe(0);
    expect(fs().exists('/root/checked')).toBe(false);
  });

  it('shell: a failing command fails the task with rc and stderr', async () => {
    const s = await runOn(lab, host, [shell({ cmd: 'echo oops >&2; exit 3' }, { name: 'fail' })]);
    expect(resultOf(s, 'fail')).toMatchObject({ status: 'failed', rc: 3, stderr: 'oops' });
  });

  it('copy, template, file, stat: content and paths with shell metacharacters are taken literally', async () => {
    const dir = `/root/$(touch pwned1) \`touch pwned2\`; 'q' "dq" é`;
    const s = await runTwice(lab, host, [
      file({ path: dir, state: 'directory', mode: 'u=rwx,go=' }),
      file({ path: '/root/dir with spaces', state: 'directory' }),
      copy({ dest: `${dir}/${NASTY.split('\n')[0]!.replace(/\//g, '_')}`, content: NASTY }),
      copy({ dest: `${NASTY_PATH}.copy`, content: NASTY }),
      template({ src: (v) => `${String(v.nasty)}\n`, dest: `${dir}/tpl`, vars: { nasty: NASTY } }),
      file({ path: `${dir}/link; rm -rf ~`, state: 'link', src: NASTY_PATH }),
      stat({ path: `${dir}/tpl` }, { name: 'stat' }),
    ]);
    expect(fs().text(`${NASTY_PATH}.copy`)).toBe(NASTY);
    expect(fs().text(`${dir}/${NASTY.split('\n')[0]!.replace(/\//g, '_')}`)).toBe(NASTY);
    expect(fs().text(`${dir}/tpl`)).toBe(`${NASTY}\n`);
    expect(fs().mode(dir)).toBe('0700');
    expect(fs().link(`${dir}/link; rm -rf ~`)).toBe(NASTY_PATH);
    expect(resultOf(s, 'stat').data?.stat).toMatchObject({ exists: true, size: Buffer.byteLength(`${NASTY}\n`) });
    notPwned();
    for (const p of ['pwned1', 'pwned2']) expect(fs().exists(`/root/${p}`) || fs().exists(`/${p}`)).toBe(false);
  });

  it('stat, slurp and fetch read without changing', async () => {
    await runOn(lab, host, [copy({ dest: '/root/data.txt', content: 'payload ü\n', mode: '0600' })]);
    const s = await runTwice(lab, host, [
      stat({ path: '/root/data.txt' }, { name: 'stat' }),
      stat({ path: '/root/missing' }, { name: 'stat missing' }),
      slurp({ src: '/root/data.txt' }, { name: 'slurp' }),
    ]);
    expect(resultOf(s, 'stat').data?.stat).toMatchObject({
      exists: true, isreg: true, mode: '0600', pw_name: 'root', size: Buffer.byteLength('payload ü\n'),
      checksum: createHash('sha1').update('payload ü\n').digest('hex'),
    });
    expect(resultOf(s, 'stat missing').data?.stat).toEqual({ exists: false });
    expect(Buffer.from(String(resultOf(s, 'slurp').data?.content), 'base64').toString('utf8')).toBe('payload ü\n');
    const dest = mkdtempSync(join(tmpdir(), 'shipshape-fetch-'));
    const f = await runTwice(lab, host, [fetch({ src: '/root/data.txt', dest })]);
    expect(f.stats[host]!.changed).toBe(1);
    expect(readFileSync(join(dest, host, 'root/data.txt'), 'utf8')).toBe('payload ü\n');
  });

  it('cron: a named entry in the user crontab, updated, disabled, removed', async () => {
    const entry = { name: 'nightly "backup"', minute: 30, hour: 2, job: '/usr/local/bin/backup.sh > /dev/null 2>&1', user: 'root' };
    await runTwice(lab, host, [cron(entry)]);
    const tab = (await lab.exec(host, 'crontab -l -u root')).stdout;
    expect(tab).toBe('#Ansible: nightly "backup"\n30 2 * * * /usr/local/bin/backup.sh > /dev/null 2>&1\n');
    await runTwice(lab, host, [cron({ ...entry, disabled: true })]);
    expect((await lab.exec(host, 'crontab -l -u root')).stdout).toContain('\n#30 2 * * * /usr/local/bin/backup.sh');
    await runTwice(lab, host, [cron({ name: entry.name, user: 'root', state: 'absent' })]);
    expect((await lab.exec(host, 'crontab -l -u root')).stdout).toBe('');
  });

  it('cron: cron_file with special_time, then absent removes the file', async () => {
    await runTwice(lab, host, [cron({ name: 'reboot job', special_time: 'reboot', job: 'echo hi', user: 'root', cron_file: 'shipshape_test' })]);
    expect(fs().text('/etc/cron.d/shipshape_test')).toBe('#Ansible: reboot job\n@reboot root echo hi\n');
    await runTwice(lab, host, [cron({ name: 'reboot job', state: 'absent', cron_file: 'shipshape_test' })]);
    expect(fs().exists('/etc/cron.d/shipshape_test')).toBe(false);
  });

  it('wait_for: a path appears, a closed port times out with a clear message', async () => {
    await runOn(lab, host, [copy({ dest: '/root/ready', content: 'state=ready\n' })]);
    const ok = await runOn(lab, host, [wait_for({ path: '/root/ready', search_regex: 'state=re+ady', timeout: 5 }, { name: 'wait' })]);
    expect(resultOf(ok, 'wait')).toMatchObject({ status: 'ok', changed: false });
    const sshd = lab.hosts.find((h) => h.name === host)!;
    const port = await runOn(lab, host, [wait_for({ host: sshd.address, port: 22, timeout: 5 }, { name: 'port' })]);
    expect(resultOf(port, 'port').status).toBe('ok');
    const closed = await runOn(lab, host, [wait_for({ host: sshd.address, port: 1, timeout: 1, msg: 'port 1 never opened' }, { name: 'closed' })]);
    expect(resultOf(closed, 'closed')).toMatchObject({ status: 'failed', msg: expect.stringContaining('port 1 never opened') });
  });
});
