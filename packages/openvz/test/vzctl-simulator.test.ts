/**
 * The lab's vzctl/vzlist simulators against docs/platforms/openvz.md: output lines, stdout vs stderr,
 * exit codes and files, step by step on one node (order matters: each step builds on the last).
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { useLab } from '../../../test/support/lab.js';

const lab = useLab({ id: 22, hosts: [{ name: 'ovz1', profile: 'openvz' }] });

interface Step { readonly run: string; readonly code: number; readonly out?: string; readonly err?: string }
const T = 'debian-12-minimal_12.0_amd64';
// The steps in fixtures/vzctl-steps.json, in order (among them a lock held by a live process: exit 9; a stale lock is taken over).
const steps = JSON.parse(readFileSync(new URL('./fixtures/vzctl-steps.json', import.meta.url), 'utf8')) as Step[];

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
