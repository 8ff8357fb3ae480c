/**
 * The lab's vzctl/vzlist simulators against docs/platforms/openvz.md: output lines, stdout vs stderr,
 * exit codes and files, step by step on one node (order matters: each step builds on the last).
 */
import { describe, expect, it } from '@jest/globals';
import { useLab } from '../../../test/support/lab.js';

const lab = useLab({ id: 22, hosts: [{ name: 'ovz1', profile: 'openvz' }] });

interface Step { readonly run: string; readonly code: number; readonly out?: string; readonly err?: string }
const T = 'debian-12-minimal_12.0_amd64';
const steps: Step[] = [
  { run: 'vzctl frobnicate 101', code: 20, out: '', err: 'Bad command: frobnicate\n' },
  { run: 'vzctl start', code: 21, err: 'CT ID missing\n' },
  { run: 'vzctl start abc', code: 21, err: 'Bad CT ID abc\n' },
  { run: 'vzctl start 101', code: 14, err: 'Container config file does not exist\n' },
  { run: 'vzctl status 101', code: 0, out: 'CTID 101 deleted unmounted down\n' },
  { run: 'vzctl create 101 --ostemplate nope-1-x_1_amd64', code: 91, out: 'Creating container private area (nope-1-x_1_amd64)\n',
    err: 'Cached OS template /var/lib/vz/template/cache/nope-1-x_1_amd64.tar[.gz|.bz2|.xz] not found\nCreation of container private area failed\n' },
  { run: 'vzctl create 101 --ostemplate x --config nosuch', code: 82, err: 'Sample config /etc/vz/conf/ve-nosuch.conf-sample not found\n' },
  { run: `vzctl create 101 --ostemplate ${T}`, code: 0,
    out: `Creating container private area (${T})\nPerforming postcreate actions\nCT configuration saved to /etc/vz/conf/101.conf\nContainer private area was created\n`, err: '' },
  { run: `vzctl create 101 --ostemplate ${T} --config basic`, code: 82,
    err: 'Error: container config file /etc/vz/conf/101.conf already exists, can not use --config option\n' },
  { run: `vzctl create 101 --ostemplate ${T}`, code: 44,
    out: 'Warning: CT config file already exists, not applying a default config sample.\n', err: 'Private area already exists in /var/lib/vz/private/101\n' },
  { run: 'grep -c . /var/lib/vz/private/101/etc/os-release; grep -E "^(OSTEMPLATE|VE_PRIVATE)=" /etc/vz/conf/101.conf', code: 0,
    out: `7\nOSTEMPLATE="${T}"\nVE_PRIVATE="/var/lib/vz/private/$VEID"\n` },
  { run: 'vzctl status 101', code: 0, out: 'CTID 101 exist unmounted down\n' },
  { run: 'vzctl set 101 --hostname ct101', code: 0, out: 'WARNING: Settings were not saved to config (use --save flag)\n' },
  { run: 'vzctl set 101 --name web', code: 20, err: 'Error: --name requires --save\n' },
  { run: 'vzctl set 101 --diskspace 10G --ipadd 10.0.0.1 --save', code: 0, out: 'CT configuration saved to /etc/vz/conf/101.conf\n' },
  { run: 'vzctl set 101 --diskspace 10485760:10485760 --ipadd 10.0.0.1 --save', code: 0, out: 'No changes in CT configuration, not saving\n' },
  { run: 'vzctl set 101 --diskspace 10Q --save', code: 21, err: 'Bad parameter for --diskspace: 10Q\n' },
  { run: 'grep ^DISKSPACE /etc/vz/conf/101.conf', code: 0, out: 'DISKSPACE="10485760:10485760"\n' },
  { run: 'vzctl exec2 101 true', code: 31, err: 'Container is not running\n' },
  { run: 'vzctl exec 101 true', code: 8, err: 'Container is not running\n' },
  { run: 'vzctl stop 101', code: 0, out: '', err: 'Unable to stop: container is not running\n' },
  { run: 'vzctl umount 101', code: 40, err: 'CT is not mounted\n' },
  { run: 'vzctl mount 101', code: 0, out: 'Container is mounted\n' },
  { run: 'vzctl mount 101', code: 0, out: '', err: 'Container is already mounted\n' },
  { run: 'vzctl status 101; vzlist -a -H -o ctid,status', code: 0, out: 'CTID 101 exist mounted down\n       101 mounted\n' },
  { run: 'vzctl destroy 101', code: 41, out: 'Container is currently mounted (umount first)\n' },
  { run: 'vzctl umount 101', code: 0, out: 'Container is unmounted\n' },
  { run: 'vzctl start 101', code: 0,
    out: 'Starting container...\nContainer is mounted\nAdding IP address(es): 10.0.0.1\nSetting CPU units: 1000\nContainer start in progress...\n' },
  { run: 'vzctl start 101', code: 32, err: 'Container is already running\n' },
  { run: 'vzctl exec 101', code: 20, err: 'No command line given for exec\n' },
  { run: 'vzctl exec2 101 "echo \\$0; exit 7"', code: 7, out: '/bin/sh\n' },
  { run: 'vzctl exec 101 "exit 7"', code: 8 },
  { run: 'vzctl set 101 --ipadd 10.0.0.2 --save', code: 0, out: 'Adding IP address(es): 10.0.0.2\nCT configuration saved to /etc/vz/conf/101.conf\n' },
  { run: 'vzctl set 101 --ipdel 10.0.0.1', code: 0,
    out: 'Deleting IP address(es): 10.0.0.1\nWARNING: Settings were not saved to config and will be lost after CT restart (use --save flag)\n' },
  { run: 'vzlist', code: 0, out: '      CTID      NPROC STATUS    IP_ADDR         HOSTNAME\n       101          2 running   10.0.0.2        -\n' },
  { run: 'vzlist -1; vzlist -S', code: 0, out: '       101\n', err: 'Container(s) not found\n' },
  { run: 'vzlist 555', code: 1, out: '', err: 'Container(s) not found\n' },
  { run: 'vzlist -j -o ctid,ip 555', code: 1, out: '[]\n' },
  { run: 'vzlist -o ctid,bogus', code: 1, err: 'Unknown field: bogus\n' },
  { run: 'vzlist -a -H -o ip,ctid', code: 0, out: '10.0.0.2               101\n' },
  { run: 'vzctl destroy 101', code: 32, out: 'Container is currently running. Stop it first.\n' },
  // A lock held by a live process (its pid in the lock file) → 9; a stale lock is taken over.
  { run: 'sleep 600 >/dev/null 2>&1 & p=$!; echo $p > /var/lib/vz/lock/101.lck; vzctl stop 101; r=$?; kill $p; exit $r', code: 9, err: 'Container already locked\n' },
  { run: 'echo 999999 > /var/lib/vz/lock/101.lck; vzctl set 101 --onboot yes --save; ls /var/lib/vz/lock', code: 0, out: 'CT configuration saved to /etc/vz/conf/101.conf\n' },
  { run: 'vzctl restart 101', code: 0,
    out: 'Restarting container\nStopping container ...\nContainer was stopped\nContainer is unmounted\nStarting container...\nContainer is mounted\nAdding IP address(es): 10.0.0.1 10.0.0.2\nSetting CPU units: 1000\nContainer start in progress...\n' },
  { run: 'vzctl stop 101', code: 0, out: 'Stopping container ...\nContainer was stopped\nContainer is unmounted\n' },
  { run: 'vzctl destroy 101', code: 0, out: 'Destroying container private area: /var/lib/vz/private/101\nContainer private area was destroyed\n' },
  { run: 'ls /etc/vz/conf | grep ^101; ls /var/lib/vz/private; vzctl status 101', code: 0, out: '101.conf.destroyed\nCTID 101 deleted unmounted down\n' },
  { run: `vzctl create 101 --ostemplate ${T} >/dev/null; ls /etc/vz/conf | grep ^101`, code: 0, out: '101.conf\n' },
  { run: 'tail -n 1 /var/log/vzctl.log', code: 0 },
  { run: 'vzctl start 101 >/dev/null; vzlist -a -H -o ctid,status', code: 0, out: '       101 running\n' },
];

describe('vzctl/vzlist simulators follow docs/platforms/openvz.md', () => {
  it('prints the documented lines on the documented streams with the documented exit codes', async () => {
    for (const s of steps) {
      const r = await lab.exec('ovz1', s.run);
      const got = { run: s.run, code: r.code, ...(s.out !== undefined ? { out: r.stdout } : {}), ...(s.err !== undefined ? { err: r.stderr } : {}) };
      expect(got).toEqual(s);
    }
    expect((await lab.exec('ovz1', 'tail -n 1 /var/log/vzctl.log')).stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} vzctl : CT 101 : Container start in progress\.\.\.\n$/);
  });

  it('create fails initialising the quota when the dist has POST_CREATE and DISKSPACE/DISKINODES are missing; nothing is left', async () => {
    const q = (run: string) => lab.exec('ovz1', run);
    await q(`cp /etc/vz/vz.conf /root/vz.conf.orig && sed -i -e '/^DISKINODES=/d' /etc/vz/vz.conf`);
    expect(await q(`vzctl create 120 --ostemplate ${T}`)).toMatchObject({
      code: 64, stdout: `Creating container private area (${T})\nInitializing quota ...\n`,
      stderr: 'Error: Not enough parameters, diskinodes quota not set\nCreation of container private area failed\n',
    });
    expect((await q('ls -A /var/lib/vz/private /var/vzquota /etc/vz/conf | grep -c ^120; vzctl status 120')).stdout).toBe('0\nCTID 120 deleted unmounted down\n');
    // With the limits on the command line the same create succeeds and initialises the quota at once.
    expect((await q(`vzctl create 120 --ostemplate ${T} --diskinodes 200000 && cat /var/vzquota/quota.120`)).stdout).toContain('Performing postcreate actions\n');
    await q('vzctl destroy 120 >/dev/null; cp /root/vz.conf.orig /etc/vz/vz.conf');
  });

  it('a template without a dist config: the warning is printed and the defaults are used', async () => {
    const c = '/var/lib/vz/template/cache';
    const A = 'alpine-3.20-default_20240908_amd64';
    const r = await lab.exec('ovz1', `cp ${c}/${T}.tar.gz ${c}/${A}.tar.xz && vzctl create 121 --ostemplate ${A}; rc=$?; vzctl destroy 121 >/dev/null; rm -f ${c}/${A}.tar.xz /etc/vz/conf/121.conf.destroyed; exit $rc`);
    expect(r).toMatchObject({
      code: 0, stderr: '',
      stdout: `Creating container private area (${A})\nWarning: configuration file for distribution ${A} not found, using defaults from /etc/vz/dists/default\n` +
        'Performing postcreate actions\nCT configuration saved to /etc/vz/conf/121.conf\nContainer private area was created\n',
    });
  });

  it('containers do not survive a reboot of the node, and start again afterwards', async () => {
    await lab.rebootHost('ovz1');
    expect((await lab.exec('ovz1', 'vzlist -a -H -o ctid,status; vzctl status 101')).stdout).toBe('       101 stopped\nCTID 101 exist unmounted down\n');
    expect((await lab.exec('ovz1', 'vzctl start 101 >/dev/null && vzctl exec2 101 "cat /etc/debian_version"')).stdout).toBe('12.0\n');
  });
});
