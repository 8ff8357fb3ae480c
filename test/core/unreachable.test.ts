import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { playbook, run, staticInventory, task, type RunEvent } from '@shipshape/core';
import { useLab } from '../support/lab.js';

const lab = useLab({ id: 72, hosts: 4 });

describe('unreachable hosts', () => {
  it('reports stopped sshd, wrong key and wrong host key with their reason; the others go on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ss-unreach-'));
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'wrong')]);
    const [ok, stopped, badKey, badHostKey] = lab.hosts.map((h) => lab.hostSpec(h.name));
    const otherKey = execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'hk')]) && join(dir, 'hk.pub');
    const fakeKnown = join(dir, 'known_hosts');
    const pub = execFileSync('cat', [otherKey]).toString().trim().split(' ');
    writeFileSync(fakeKnown, `${badHostKey!.connection.host} ${pub[0]} ${pub[1]}\n`);
    await lab.stopHost(stopped!.name);
    const inventory = staticInventory([
      ok!,
      stopped!,
      { ...badKey!, connection: { ...badKey!.connection, privateKeyPath: join(dir, 'wrong'), agent: false } },
      { ...badHostKey!, connection: { ...badHostKey!.connection, knownHostsFile: fakeKnown } },
    ]);
    const events: RunEvent[] = [];
    const s = await run(playbook({ name: 'u', tasks: [task('echo', async (h) => { await h.$`true`; })] }), { inventory, onEvent: (e) => events.push(e) });
    const reasons = Object.fromEntries(events.filter((e): e is Extract<RunEvent, { type: 'host:unreachable' }> => e.type === 'host:unreachable').map((e) => [e.host, e.reason]));
    expect(reasons).toEqual({ [stopped!.name]: 'refused', [badKey!.name]: 'auth', [badHostKey!.name]: 'hostkey' });
    expect(s.stats[ok!.name]).toMatchObject({ ok: 1, unreachable: 0 });
    expect(s.unreachableHosts.sort()).toEqual([stopped!.name, badKey!.name, badHostKey!.name].sort());
    const mismatch = events.find((e) => e.type === 'host:unreachable' && e.host === badHostKey!.name) as { msg: string };
    expect(mismatch.msg).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED/);
  });

  it('accept-new records an unknown host key, then strict accepts it; off skips the check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ss-acceptnew-'));
    const known = join(dir, 'known_hosts');
    const spec = lab.hostSpec(lab.hosts[0]!.name);
    const probe = async (policy: 'strict' | 'accept-new' | 'off') => {
      const inventory = staticInventory([{ ...spec, connection: { ...spec.connection, knownHostsFile: known, hostKeyPolicy: policy } }]);
      return run(playbook({ name: 'k', tasks: [task('echo', async (h) => { await h.$`true`; })] }), { inventory });
    };
    expect((await probe('strict')).unreachableHosts).toEqual([spec.name]);
    expect((await probe('accept-new')).ok).toBe(true);
    expect(readFileSync(known, 'utf8')).toMatch(new RegExp(`^${spec.connection.host.replace(/\./g, '\\.')} ssh-ed25519 `));
    expect((await probe('strict')).ok).toBe(true);
    writeFileSync(known, '');
    expect((await probe('off')).ok).toBe(true);
  });
});

