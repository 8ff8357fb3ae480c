// The guest module on one Xen lab dom0: hooks before first boot, no recreation without force,
// force says what it destroys, stop/absent; the root password never reaches the events.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copy, shell } from '@shipshape/builtin';
import { playbook, type RunSummary } from '@shipshape/core';
import type { Lab } from '@shipshape/testlab';
import { guest, parseXlList, vif } from '@shipshape/xen';
import { changedTasks, expectAllOk, failedTasks, guestFile, hostFile, hostPath, inGuest, runPlaybook, sh, startXenLab } from './lab.js';

let lab: Lab;
const events: string[] = [];
const db1 = (extra: Record<string, unknown> = {}) =>
  playbook({
    name: 'db1',
    hosts: 'xen1',
    tasks: [
      guest({
        hostname: 'db1', dist: 'bookworm', dir: '/srv/xen', memory: '256M', size: '2G', vcpus: 1, ips: ['10.30.0.5'],
        netmask: '255.255.255.0', gateway: '10.30.0.1', bridge: 'xenbr0', state: 'running',
        hooks: [
          copy({ dest: '/etc/motd', content: 'managed by shipshape\n', mode: '0644' }),
          copy((c) => ({ dest: `/etc/hook-${String(c.item)}`, content: `${String(c.item)}\n` }), { name: 'loop hook', loop: ['a', 'b'] }),
          copy({ dest: '/etc/hook-skipped', content: 'x\n' }, { name: 'skipped hook', when: (c) => c.vars.never === true }),
          shell({ cmd: 'test -r /proc/self/status && test -d /sys/kernel && test -c /dev/pts/ptmx && /usr/sbin/policy-rc.d; echo "policy-rc.d $?" > /root/hook-env; cat /etc/resolv.conf >> /root/hook-env', creates: '/root/hook-env' }, { name: 'hook environment' }),
        ],
        ...extra,
      }, { name: 'guest db1' }),
    ],
  });
const run = (pb = db1()): Promise<RunSummary> => runPlaybook(lab, pb, events);
const msgOf = (s: RunSummary) => s.results.find((r) => r.task === 'guest db1')?.result.msg ?? '';

beforeAll(async () => {
  lab = await startXenLab(32, ['xen1']);
}, 600_000);
afterAll(async () => {
  await lab?.stop();
});

describe('guest', () => {
  it('creates the guest, applies the hooks inside its root before the first boot, starts it', async () => {
    const s = await run();
    expectAllOk(s);
    expect(msgOf(s)).toBe('create guest db1 (10.30.0.5), 4 hook task(s) inside its root, then start it');
    expect(await guestFile(lab, 'xen1', 'db1', 'etc/motd')).toBe('managed by shipshape\n');
    // Hooks ran with /proc, /sys, devpts, dom0's resolv.conf and a policy-rc.d forbidding starts (exit 101),
    // all gone afterwards.
    expect(await inGuest(lab, 'xen1', 'db1', 'cd "$G/etc"; cat hook-a hook-b; ls hook-skipped 2>&1 || true')).toBe('a\nb\nls: cannot access \'hook-skipped\': No such file or directory\n');
    expect(await guestFile(lab, 'xen1', 'db1', 'root/hook-env')).toBe(`policy-rc.d 101\n${hostFile(lab, 'xen1', 'etc/resolv.conf')}`);
    expect(await inGuest(lab, 'xen1', 'db1', 'ls "$G/usr/sbin/policy-rc.d" "$G/etc/resolv.conf.shipshape-hooks" 2>&1 | wc -l; ls -A "$G/proc"; ls -A "$G/sys"')).toBe('2\n');
    expect(parseXlList(await sh(lab, 'xen1', 'xl list db1'))).toMatchObject([{ name: 'db1', memory: 256, vcpus: 1 }]);
    // Nothing stays mounted on dom0 after the hooks.
    expect(await sh(lab, 'xen1', 'grep -c shipshape-xen /proc/mounts || true')).toBe('0\n');
    const summary = s.results.find((r) => r.task === 'guest db1')!.result.data!.summary as { hostname: string; ips: string[] };
    expect(summary).toMatchObject({ hostname: 'db1', ips: ['10.30.0.5'] });
  });

  it('is ok when the guest exists and matches', async () => {
    const s = await run();
    expectAllOk(s);
    expect(changedTasks(s)).toEqual([]);
    expect(msgOf(s)).toMatch(/^guest db1 exists and matches \(running, id \d+\)$/);
  });

  it('does not recreate a differing guest without force, and says what force would destroy', async () => {
    await inGuest(lab, 'xen1', 'db1', 'echo precious > "$G/root/data.txt"');
    const s = await run(db1({ memory: '512M' }));
    expect(failedTasks(s)).toEqual([
      expect.stringContaining('guest db1 exists but differs (memory is 256 MB, wanted 512 MB); not recreating it without force: true, which would destroy running domain db1'),
    ]);
    expect(await guestFile(lab, 'xen1', 'db1', 'root/data.txt')).toBe('precious\n');
    expect(hostFile(lab, 'xen1', 'etc/xen/db1.cfg')).toContain("memory      = '256'");
  });

  it('with force recreates the guest and the run says what it destroys', async () => {
    const id = parseXlList(await sh(lab, 'xen1', 'xl list db1'))[0]!.id;
    const s = await run(db1({ memory: '512M', force: true }));
    expectAllOk(s);
    expect(msgOf(s)).toBe(
      `recreate guest db1 (force): destroys running domain db1 (id ${id}), disks /srv/xen/domains/db1/disk.img, /srv/xen/domains/db1/swap.img, config /etc/xen/db1.cfg, 4 hook task(s) inside its root`,
    );
    expect(await inGuest(lab, 'xen1', 'db1', 'ls "$G/root"')).toBe('hook-env\n');
    expect(await guestFile(lab, 'xen1', 'db1', 'etc/motd')).toBe('managed by shipshape\n');
    expect(hostFile(lab, 'xen1', 'etc/xen/db1.cfg')).toContain("memory      = '512'");
    expect(parseXlList(await sh(lab, 'xen1', 'xl list db1'))[0]!.id).not.toBe(id);
  });

  it('edits vifs idempotently', async () => {
    const add = playbook({ name: 'vif', hosts: 'xen1', tasks: [vif({ guest: 'db1', ip: '198.51.100.9', bridge: 'xenbr1' })] });
    expect(changedTasks(await run(add))).toHaveLength(1);
    expect(changedTasks(await run(add))).toEqual([]);
    expect(hostFile(lab, 'xen1', 'etc/xen/db1.cfg')).toMatch(/\n {16}'ip=198\.51\.100\.9,mac=00:16:3e:[0-9a-f:]{8},bridge=xenbr1' \]\n/);
    const del = playbook({ name: 'vif', hosts: 'xen1', tasks: [vif({ guest: 'db1', ip: '198.51.100.9', state: 'absent' })] });
    expect(changedTasks(await run(del))).toHaveLength(1);
    expect(changedTasks(await run(del))).toEqual([]);
    expect(hostFile(lab, 'xen1', 'etc/xen/db1.cfg')).not.toContain('198.51.100.9');
  });

  it('stops and removes the guest', async () => {
    const stop = await run(db1({ memory: '512M', state: 'stopped' }));
    expectAllOk(stop);
    expect(msgOf(stop)).toMatch(/^shut down guest db1 \(id \d+\)$/);
    expect(await sh(lab, 'xen1', 'xl list')).not.toContain('db1');
    const gone = await run(db1({ state: 'absent' }));
    expectAllOk(gone);
    expect(msgOf(gone)).toBe('remove guest db1: destroys disks /srv/xen/domains/db1/disk.img, /srv/xen/domains/db1/swap.img, config /etc/xen/db1.cfg');
    expect(existsSync(hostPath(lab, 'xen1', 'etc/xen/db1.cfg'))).toBe(false);
    expect(existsSync(hostPath(lab, 'xen1', 'srv/xen/domains/db1'))).toBe(false);
    expect(changedTasks(await run(db1({ state: 'absent' })))).toEqual([]);
  });

  it('on LVM (phy:/dev/<vg>/<host>-disk): hooks see the mounted root; a failing hook removes the half-made guest', async () => {
    const broken = playbook({
      name: 'lv1', hosts: 'xen1',
      tasks: [guest({
        hostname: 'lv1', lvm: 'vg0', fs: 'ext3', size: '1G', swap: '64M', ips: ['10.30.0.7'],
        hooks: [
          shell({ cmd: 'test -s /etc/debian_version && ! test -e /nonexistent' }, { name: 'root is the guest' }),
          copy({ dest: '/nonexistent/dir/motd', content: 'x' }, { name: 'bad hook' }),
        ],
      }, { name: 'guest lv1' })],
    });
    const s = await run(broken);
    expect(failedTasks(s)).toEqual([expect.stringMatching(/^xen1 guest lv1: guest lv1 removed again after a failed hook: hook "bad hook" failed inside lv1: /)]);
    expect(hostFile(lab, 'xen1', 'var/log/xen-tools/lv1.log')).toContain('Creating ext3 filesystem on /dev/vg0/lv1-disk\n');
    expect(await sh(lab, 'xen1', 'ls /etc/xen/lv1.cfg /dev/vg0/lv1-disk /var/lib/xen-sim/lvm/vg0 2>&1; grep -c shipshape-xen /proc/mounts || true')).toBe(
      "ls: cannot access '/etc/xen/lv1.cfg': No such file or directory\nls: cannot access '/dev/vg0/lv1-disk': No such file or directory\n/var/lib/xen-sim/lvm/vg0:\n0\n",
    );
  });

  it('never let a root password into the events', () => {
    const logs = (hostFile(lab, 'xen1', 'var/log/xen-tools/db1.log') + hostFile(lab, 'xen1', 'var/log/xen-tools/db1.0.log'));
    const passwords = [...logs.matchAll(/^Root Password {3}: {2}(\S+)$/gm)].map((m) => m[1]!);
    expect(passwords).toHaveLength(2);
    for (const p of passwords) expect(events.join('\n')).not.toContain(p);
  });
});
