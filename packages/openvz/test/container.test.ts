import { beforeAll, describe, expect, it } from '@jest/globals';
import { playbook, run, task, type RunSummary, type Task } from '@shipshape/core';
import { container, containersFact, exec, inContainer, templatesFact, vzConfFact, vzExec } from '@shipshape/openvz';
import { useLab } from '../../../test/support/lab.js';

const TEMPLATE = 'debian-12-minimal_12.0_amd64';
const lab = useLab({ id: 21, hosts: [{ name: 'ovz1', profile: 'openvz' }] });

const sh = async (text: string): Promise<string> => (await lab.exec('ovz1', text)).stdout;
const changed = (s: RunSummary) => s.stats.ovz1!.changed;
const play = (...tasks: Task[]) => run(playbook({ name: 'openvz', hosts: 'ovz1', tasks }), { inventory: lab.inventory });

describe('container lifecycle', () => {
  const web = {
    ctid: 101, ostemplate: TEMPLATE, state: 'running' as const, ipadd: ['10.0.0.101', '10.0.0.111'], nameserver: '192.0.2.1',
    hostname: 'ct101.example.com', diskspace: '10G', diskinodes: 200000, ubc: { numproc: '300:300' },
  };

  it('creates, configures and starts; the second run changes nothing', async () => {
    const first = await play(container(web));
    expect(first.ok).toBe(true);
    expect(changed(first)).toBe(1);
    expect(await sh('vzlist -a -H -o ctid,status,hostname,ip 101')).toBe('       101 running   ct101.example.com                10.0.0.101 10.0.0.111\n');
    const conf = await sh('cat /etc/vz/conf/101.conf');
    expect(conf).toContain('DISKSPACE="10485760:10485760"\n');
    expect(conf).toContain('NUMPROC="300:300"\n');
    expect(await sh('vzctl exec2 101 cat /etc/resolv.conf')).toBe('nameserver 192.0.2.1\n');

    const second = await play(container(web));
    expect(second.ok).toBe(true);
    expect(changed(second)).toBe(0);
  });

  it('counts vzctl "No changes in CT configuration" as no change', async () => {
    // "unlimited" saved as LONG_MAX (as other tools write it): the plan cannot tell, vzctl can.
    await sh(`sed -i 's/^PHYSPAGES=.*/PHYSPAGES="0:9223372036854775807"/' /etc/vz/conf/101.conf`);
    const s = await play(container({ ctid: 101, ubc: { physpages: '0:unlimited' }, state: 'present' }));
    expect(s.ok).toBe(true);
    expect(changed(s)).toBe(0);
    expect(s.results[0]!.result.msg).toContain('no changes in CT configuration');
  });

  it('changes IPs, stops, and destroys leaving <CTID>.conf.destroyed', async () => {
    const s = await play(container({ ...web, ipadd: ['10.0.0.102'], state: 'stopped' }));
    expect(changed(s)).toBe(1);
    expect(await sh('vzctl status 101')).toBe('CTID 101 exist unmounted down\n');
    expect(await sh('grep IP_ADDRESS /etc/vz/conf/101.conf')).toBe('IP_ADDRESS="10.0.0.102"\n');
    const gone = await play(container({ ctid: 101, state: 'absent' }));
    expect(changed(gone)).toBe(1);
    expect(await sh('ls /etc/vz/conf | grep ^101')).toBe('101.conf.destroyed\n');
    expect(changed(await play(container({ ctid: 101, state: 'absent' })))).toBe(0);
  });
});

describe('exec in a container', () => {
  beforeAll(async () => {
    const s = await play(container({ ctid: 102, ostemplate: TEMPLATE, hostname: 'ct102' }));
    expect(s.ok).toBe(true);
  });

  it('maps exit codes as vzctl does: exec → 8 for any failure, exec2 → the command status', async () => {
    let seen: unknown[] = [];
    const s = await play(task('exec codes', async (h) => {
      seen = [
        await vzExec(h, 102, 'exit 3', { mode: 'exec' }),
        await vzExec(h, 102, 'exit 3', { mode: 'exec2' }),
        await vzExec(h, 102, ['printf', '%s', "it's $HOME"], { mode: 'exec2' }),
        await vzExec(h, 103, 'true', { mode: 'exec' }),
        await vzExec(h, 103, 'true', { mode: 'exec2' }),
      ];
    }));
    expect(s.ok).toBe(true);
    expect(seen).toMatchObject([
      { rc: 8, commandRc: undefined, notRunning: false },
      { rc: 3, commandRc: 3, notRunning: false },
      { rc: 0, commandRc: 0, stdout: "it's $HOME" },
      { rc: 14, notRunning: false },
      { rc: 14, notRunning: false },
    ]);
    await sh('vzctl stop 102 >/dev/null');
    const down: unknown[] = [];
    await play(task('down', async (h) => {
      down.push(await vzExec(h, 102, 'true', { mode: 'exec' }), await vzExec(h, 102, 'true', { mode: 'exec2' }));
    }));
    expect(down).toMatchObject([{ rc: 8, notRunning: true }, { rc: 31, notRunning: true }]);
    await sh('vzctl start 102 >/dev/null');
  });

  it('exec task fails with the vzctl meaning; creates makes it idempotent', async () => {
    const bad = await play(exec(102, 'exit 5', { mode: 'exec' }));
    expect(bad.results[0]!.result.status).toBe('failed');
    expect(bad.results[0]!.result.msg).toContain("vzctl exec exit 8 means any failure; use mode 'exec2'");
    const bad2 = await play(exec(102, 'echo oops >&2; exit 5'));
    expect(bad2.results[0]!.result.msg).toBe('the command exited 5 in CT 102: oops');
    const make = () => play(exec(102, 'touch /root/made', { creates: '/root/made' }));
    expect(changed(await make())).toBe(1);
    expect(changed(await make())).toBe(0);
  });

  it('runs shipshape tasks inside through the container connection', async () => {
    let hostname = '';
    const s = await play(task('inside', async (h) => {
      await inContainer(h, 102, async (ct) => {
        await ct.writeFile('/etc/motd', 'inside ct102\n', { mode: '0640' });
        hostname = (await ct.$`hostname`).stdout.trim();
      });
      return true;
    }));
    expect(s.ok).toBe(true);
    expect(hostname).toBe('ct102');
    expect(await sh('cat /var/lib/vz/private/102/etc/motd; stat -c %a /var/lib/vz/private/102/etc/motd')).toBe('inside ct102\n640\n');
  });

  it('keeps loop and when for tasks inside; a stopped container fails the task, not the node', async () => {
    let got: unknown;
    const inside = [
      task('loop', async (ct, c) => { await ct.writeFile(`/root/item-${String(c.item)}`, `${String(c.item)}\n`); return true; }, { loop: ['a', 'b'] }),
      task('skipped', async (ct) => { await ct.writeFile('/root/skipped', 'x\n'); return true; }, { when: (c) => c.vars.never === true }),
    ];
    const s = await play(task('inside', async (h) => { got = await inContainer(h, 102, inside); return true; }));
    expect(s.ok).toBe(true);
    expect(got).toEqual({ changed: true, results: [{ task: 'loop', status: 'changed' }, { task: 'skipped', status: 'skipped', msg: 'Conditional result was False' }] });
    expect(await sh('cat /var/lib/vz/private/102/root/item-a /var/lib/vz/private/102/root/item-b; test -e /var/lib/vz/private/102/root/skipped || echo none')).toBe('a\nb\nnone\n');

    await sh('vzctl stop 102 >/dev/null');
    try {
      const stopped = await play(task('inside', async (h) => { await inContainer(h, 102, inside); }));
      expect([stopped.unreachableHosts, stopped.failedHosts]).toEqual([[], ['ovz1']]);
      expect(stopped.results.map((r) => [r.task, r.result.status, r.result.msg])).toEqual([
        ['inside', 'failed', 'in CT 102: container 102 is not reachable (not running?)'],
      ]);
    } finally {
      await sh('vzctl start 102 >/dev/null');
    }
  });
});

describe('repairs on a node whose vz.conf lacks the quota limits', () => {
  it('create fails initialising the quota: vz.conf repaired, the half-made CT removed, created again, said so; then idempotent', async () => {
    await sh(`cp /etc/vz/vz.conf /root/vz.conf.orig && sed -i -e '/^DISKSPACE=/d' -e '/^DISKINODES=/d' /etc/vz/vz.conf`);
    try {
      const ct = container({ ctid: 104, ostemplate: TEMPLATE, hostname: 'ct104' });
      const s = await play(ct);
      expect(s.ok).toBe(true);
      expect(s.results[0]!.result.msg).toBe(
        'CT 104: created from debian-12-minimal_12.0_amd64, set --hostname, started; repaired: added DISKSPACE="2G:2.2G" DISKINODES="131072:144179" to /etc/vz/vz.conf ' +
          '(vzctl create 104: "Error: Not enough parameters, diskspace quota not set", exit 63; vzctl had removed the half-made CT itself; created again)',
      );
      expect(await sh('vzctl status 104')).toBe('CTID 104 exist mounted running\n');
      expect(changed(await play(ct))).toBe(0);
      const off = await play(container({ ctid: 105, ostemplate: TEMPLATE, repair: false }));
      expect(off.ok).toBe(true); // vz.conf has the limits now
    } finally {
      await sh('cp /root/vz.conf.orig /etc/vz/vz.conf');
    }
  });

  it('start fails initialising the quota (no quota yet, DISKINODES missing): repaired and started, said so', async () => {
    await sh(`vzctl create 107 --ostemplate ${TEMPLATE} >/dev/null && rm /var/vzquota/quota.107 && sed -i -e '/^DISKINODES=/d' /etc/vz/vz.conf`);
    try {
      const s = await play(container({ ctid: 107, state: 'running' }));
      expect(s.ok).toBe(true);
      expect(s.results[0]!.result.msg).toBe(
        'CT 107: started; repaired: added DISKINODES="131072:144179" to /etc/vz/vz.conf (vzctl start: Error: Not enough parameters, diskinodes quota not set)',
      );
      expect(await sh('vzctl status 107')).toBe('CTID 107 exist mounted running\n');
    } finally {
      await sh('cp /root/vz.conf.orig /etc/vz/vz.conf');
    }
  });

  it('repair: false leaves vz.conf alone and fails with vzctl\'s error', async () => {
    await sh(`sed -i -e '/^DISKINODES=/d' /etc/vz/vz.conf`);
    try {
      const s = await play(container({ ctid: 106, ostemplate: TEMPLATE, repair: false }));
      expect(s.ok).toBe(false);
      expect(s.results[0]!.result.msg).toContain('Error: Not enough parameters, diskinodes quota not set');
      expect(await sh('grep -c ^DISKINODES= /etc/vz/vz.conf; true')).toBe('0\n');
    } finally {
      await sh('cp /root/vz.conf.orig /etc/vz/vz.conf');
    }
  });
});

describe('facts', () => {
  it('reads containers, templates and vz.conf from the node', async () => {
    let got: unknown[] = [];
    await play(task('facts', async (h) => {
      got = [await h.fact(containersFact, undefined), await h.fact(templatesFact, undefined), await h.fact(vzConfFact, undefined)];
    }));
    const [cts, cache, conf] = got as [any[], any, Record<string, string>];
    expect(cts.find((c) => c.ctid === 102)).toEqual({ ctid: 102, status: 'running', hostname: 'ct102', ostemplate: TEMPLATE, ips: [] });
    expect(cache).toEqual({ dir: '/var/lib/vz/template/cache', templates: [{ file: `${TEMPLATE}.tar.gz`, name: TEMPLATE, valid: true, convention: 'aplinfo' }] });
    expect(conf.VE_PRIVATE).toBe('/var/lib/vz/private/$VEID');
  });
});
