import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Lab } from '@shipshape/testlab';
import { copy, pkg, service } from '@shipshape/builtin';
import { HOSTS, onHost, resultOf, runOn, runTwice, startBuiltinLab } from './lab.js';

let lab: Lab;
beforeAll(async () => {
  lab = await startBuiltinLab(53);
});
afterAll(async () => {
  await lab?.stop();
});

/** A real sysvinit script running a real background process with a pid file. */
const INIT_SCRIPT = `#!/bin/sh
### BEGIN INIT INFO
# Provides:          shipdemo
# Required-Start:
# Required-Stop:
# Default-Start:     2 3 4 5
# Default-Stop:      0 1 6
# Short-Description: shipshape test daemon
### END INIT INFO
PID=/var/run/shipdemo.pid
running() { [ -f "$PID" ] && kill -0 "$(cat "$PID")" 2>/dev/null; }
case "$1" in
  start) running || { sleep 1000000 </dev/null >/dev/null 2>&1 & echo $! > "$PID"; echo start >> /var/log/shipdemo.log; } ;;
  stop) running && kill "$(cat "$PID")"; rm -f "$PID"; echo stop >> /var/log/shipdemo.log ;;
  restart) "$0" stop; "$0" start ;;
  reload) echo reload >> /var/log/shipdemo.log ;;
  status) running ;;
  *) echo "usage: $0 start|stop|restart|reload|status" >&2; exit 2 ;;
esac
`;

describe.each(HOSTS.map((h) => h.name))('service on %s (sysvinit)', (host) => {
  const fs = () => onHost(lab, host);
  const running = async () => (await lab.exec(host, '/etc/init.d/shipdemo status')).code === 0;
  const log = () => fs().text('/var/log/shipdemo.log').trim().split('\n');

  it('starts and enables, then nothing; stops; restarted always acts', async () => {
    await lab.exec(host, 'mkdir -p /etc/init.d /var/run /var/log; rm -f /var/log/shipdemo.log; touch /var/log/shipdemo.log');
    await runTwice(lab, host, [copy({ dest: '/etc/init.d/shipdemo', content: INIT_SCRIPT, mode: '0755' })]);
    const check = await runOn(lab, host, [service({ name: 'shipdemo', state: 'started' })], { check: true });
    expect(check.results.map((x) => [x.result.status, x.result.msg])).toEqual([['changed', 'shipdemo started']]);
    expect(await running()).toBe(false);

    await runTwice(lab, host, [service({ name: 'shipdemo', state: 'started', enabled: true })]);
    expect(await running()).toBe(true);
    expect((await lab.exec(host, 'ls /etc/rc2.d/ | grep -c "^S..shipdemo$"')).stdout.trim()).toBe('1');
    expect(log()).toEqual(['start']);

    const r = await runOn(lab, host, [service({ name: 'shipdemo', state: 'restarted' }, { name: 'restart' })]);
    expect(resultOf(r, 'restart').changed).toBe(true);
    expect(log()).toEqual(['start', 'stop', 'start']);

    await runTwice(lab, host, [service({ name: 'shipdemo', state: 'stopped', enabled: false })]);
    expect(await running()).toBe(false);
    expect((await lab.exec(host, 'ls /etc/rc2.d/ 2>/dev/null | grep -c "^S..shipdemo$"')).stdout.trim()).toBe('0');
  });

  it('a missing service is a clear error', async () => {
    const s = await runOn(lab, host, [service({ name: 'nosuchservice', state: 'started' }, { name: 'bad' })]);
    expect(resultOf(s, 'bad')).toMatchObject({ status: 'failed', msg: expect.stringContaining('Could not find the requested service nosuchservice') });
  });
});

describe('package (apt on the debian host)', () => {
  it('present packages are a no-op, absent ones too; a missing manager is a clear error', async () => {
    const s = await runTwice(lab, 'deb', [
      pkg({ name: ['bash', 'coreutils'], state: 'present' }, { name: 'present' }),
      pkg({ name: 'shipshape-no-such-package', state: 'absent' }, { name: 'absent' }),
    ]);
    expect(resultOf(s, 'present')).toMatchObject({ changed: false, data: { manager: 'apt' } });
    const bb = await runOn(lab, 'bb', [pkg({ name: 'curl' }, { name: 'bb' })]);
    expect(resultOf(bb, 'bb')).toMatchObject({ status: 'failed', msg: expect.stringContaining('no supported package manager') });
  });

  it('removes an installed package in one transaction, then nothing', async () => {
    // a real .deb, built and installed on the lab host, removed through the module
    await lab.exec('deb', [
      'set -e; d=$(mktemp -d); mkdir -p "$d/DEBIAN" "$d/usr/share/shipdemo"',
      'printf "Package: shipdemo-pkg\\nVersion: 1.0\\nArchitecture: all\\nMaintainer: t <t@example.com>\\nDescription: test\\n" > "$d/DEBIAN/control"',
      'echo hi > "$d/usr/share/shipdemo/file"; dpkg-deb -b "$d" /tmp/shipdemo.deb >/dev/null; dpkg -i /tmp/shipdemo.deb >/dev/null',
    ].join('; '));
    const s = await runTwice(lab, 'deb', [pkg({ name: ['shipdemo-pkg', 'shipshape-no-such-package'], state: 'absent' }, { name: 'rm' })]);
    expect(resultOf(s, 'rm')).toMatchObject({ changed: true, data: { changed_packages: ['shipdemo-pkg'] } });
    expect(onHost(lab, 'deb').exists('/usr/share/shipdemo/file')).toBe(false);
  });

  it('installs from a (local, hermetic) apt repository, upgrades with latest, one transaction for a list', async () => {
    // the lab host's own sources: only a file: repository of .debs built here (the overlay keeps the controller's apt alone)
    const build = (v: string) => [
      `d=$(mktemp -d); mkdir -p "$d/DEBIAN" "$d/usr/share/shipdemo"`,
      `printf "Package: shipdemo-%s\\nVersion: ${v}\\nArchitecture: all\\nMaintainer: t <t@example.com>\\nDescription: test\\n" a > "$d/DEBIAN/control"`,
      `echo ${v} > "$d/usr/share/shipdemo/a"; dpkg-deb -b "$d" /srv/repo/shipdemo-a_${v}_all.deb >/dev/null`,
      `d=$(mktemp -d); mkdir -p "$d/DEBIAN" "$d/usr/share/shipdemo"`,
      `printf "Package: shipdemo-%s\\nVersion: ${v}\\nArchitecture: all\\nMaintainer: t <t@example.com>\\nDescription: test\\n" b > "$d/DEBIAN/control"`,
      `echo ${v} > "$d/usr/share/shipdemo/b"; dpkg-deb -b "$d" /srv/repo/shipdemo-b_${v}_all.deb >/dev/null`,
      'cd /srv/repo && dpkg-scanpackages -m . /dev/null > Packages 2>/dev/null',
    ].join('; ');
    const setup = await lab.exec('deb', `set -e; mkdir -p /srv/repo; rm -f /etc/apt/sources.list.d/*; echo "deb [trusted=yes] file:/srv/repo ./" > /etc/apt/sources.list; ${build('1.0')}`);
    expect(setup.code).toBe(0);
    const fs = onHost(lab, 'deb');
    const s = await runTwice(lab, 'deb', [pkg({ name: ['shipdemo-a', 'shipdemo-b'], update_cache: true }, { name: 'install' })]);
    expect(resultOf(s, 'install')).toMatchObject({ changed: true, data: { changed_packages: ['shipdemo-a', 'shipdemo-b'] } });
    expect(fs.text('/usr/share/shipdemo/b')).toBe('1.0\n');
    expect((await lab.exec('deb', `set -e; ${build('2.0')}`)).code).toBe(0);
    const present = await runOn(lab, 'deb', [pkg({ name: ['shipdemo-a', 'shipdemo-b'], update_cache: true }, { name: 'present' })]);
    expect(resultOf(present, 'present').changed).toBe(false);
    const up = await runTwice(lab, 'deb', [pkg({ name: ['shipdemo-a', 'shipdemo-b'], state: 'latest', update_cache: true }, { name: 'latest' })]);
    expect(resultOf(up, 'latest')).toMatchObject({ changed: true, data: { changed_packages: ['shipdemo-a', 'shipdemo-b'] } });
    expect(fs.text('/usr/share/shipdemo/a')).toBe('2.0\n');
  });
});
