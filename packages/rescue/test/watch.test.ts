// The rescue watcher (`shipshape rescue watch`, the bundled CLI) over three lab ESXi hosts (lab 181)
// with real sshd, real ipmi_sim BMCs and the real ipmitool: a flap, a pause (nothing happens) and a
// resume (monitoring goes on: the management VM's host is fenced, the VM fails over onto the
// watcher VM's host, anti-affinity moves the watcher VM away), a second watcher that does nothing
// more, and a host whose BMC does not answer (no failover, an alert). Every wait is on the event
// log or the watcher's round counter, never on time.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { playbook, run } from '@shipshape/core';
import { vm } from '@shipshape/esxi';
import { startLab, type Lab } from '@shipshape/testlab';
import { chassisPowerStatus } from '@shipshape/rescue';

const BIN = join(process.cwd(), 'packages/cli/dist/bundle/bin.js');
const K = 3;
let lab: Lab;
let dir: string;
let server: Server;
const hooks: string[] = [];
const watchers: ChildProcess[] = [];

interface Ev { time: string; type: string; host?: string; vm?: string; to?: string; reason: string }
const events = (): Ev[] => (existsSync(join(dir, 'state/events.jsonl')) ? readFileSync(join(dir, 'state/events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Ev) : []);
const round = (): number => (existsSync(join(dir, 'state/watcher.json')) ? (JSON.parse(readFileSync(join(dir, 'state/watcher.json'), 'utf8')) as { round: number }).round : 0);

/** Poll a condition on disk (the event log, the round counter) every 50 ms until it holds. */
async function until<T>(what: string, f: () => T | undefined | false, timeoutMs = 60000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > deadline) {
      const out = existsSync(join(dir, 'watcher.out')) ? readFileSync(join(dir, 'watcher.out'), 'utf8').split('\n').slice(-20).join('\n') : '';
      throw new Error(`timed out waiting for ${what}; watcher output:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
const eventAfter = (from: number, type: string, host?: string) => () => events().slice(from).find((e) => e.type === type && (host === undefined || e.host === host));

function cli(...args: string[]) {
  return spawnSync('node', [BIN, 'rescue', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}
function startWatcher(...extra: string[]): ChildProcess {
  const log = openSync(join(dir, 'watcher.out'), 'a');
  const w = spawn('node', [BIN, 'rescue', 'watch', join(dir, 'policy.ts'), '-i', join(dir, 'inventory.ini'), ...extra], { stdio: ['ignore', log, log] });
  closeSync(log);
  watchers.push(w);
  return w;
}
const exited = (w: ChildProcess) => new Promise<number | null>((r) => (w.exitCode !== null ? r(w.exitCode) : w.once('exit', (c) => r(c))));
const lockOf = (name: string) => readFileSync(join(lab.hosts[0]!.root, `vmfs/volumes/shared/${name}/.lab-lock`), 'utf8').trim();

beforeAll(async () => {
  lab = await startLab({ id: 181, hosts: ['esx1', 'esx2', 'esx3'].map((name) => ({ name, profile: 'esxi' })) });
  dir = mkdtempSync(join(tmpdir(), 'rescue-watch-'));
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (b: Buffer) => void (body += b));
    req.on('end', () => { hooks.push(body); res.end('ok'); });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  // The lab's inventory, each BMC request tried twice (1 s each): an unreachable BMC costs 2 s a round.
  writeFileSync(join(dir, 'inventory.ini'), `${readFileSync(lab.inventoryPath, 'utf8')}\n[esxi:vars]\nbmc_retries=1\n`);
  writeFileSync(join(dir, 'policy.ts'), `import { definePolicy } from '@shipshape/rescue';
export default definePolicy({
  hosts: 'esxi',
  stateDir: 'state',
  vms: {
    vcenter: { vmx: '/vmfs/volumes/shared/vcenter/vcenter.vmx', protect: true, hosts: ['esx1', 'esx2'] },
    rescue: { vmx: '/vmfs/volumes/shared/rescue/rescue.vmx', protect: true },
  },
  antiAffinity: [['vcenter', 'rescue']],
  probe: { intervalSeconds: 0.5, timeoutSeconds: 1, missesBeforeFailure: ${K}, graceSeconds: 1 },
  fencing: { offTimeoutSeconds: 10 },
  notify: { command: ['sh', '-c', 'cat >> "$0"', ${JSON.stringify(join(dir, 'notified.jsonl'))}], webhook: 'http://127.0.0.1:${port}/rescue' },
  shutdownTimeoutSeconds: 5,
});
`);
  const up = (host: string, name: string) => run(playbook({ name: 'up', hosts: host, tasks: [vm({ name, state: 'running', vmx: `/vmfs/volumes/shared/${name}/${name}.vmx` })] }), { inventory: lab.inventory });
  expect((await up('esx1', 'vcenter')).ok).toBe(true);
  expect((await up('esx2', 'rescue')).ok).toBe(true);
});
afterAll(async () => {
  for (const w of watchers) if (w.exitCode === null) w.kill('SIGKILL');
  server?.close();
  await lab?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('rescue watch', () => {
  let w: ChildProcess;

  it('a host that misses one probe (a flap): nothing happens', async () => {
    w = startWatcher();
    await until('the first round', () => round() >= 1);
    lab.hangHost('esx1');
    await until('a missed probe of esx1', eventAfter(0, 'host-miss', 'esx1'));
    lab.resumeHost('esx1');
    await until('esx1 answering again', eventAfter(0, 'host-recovered', 'esx1'));
    expect(events().map((e) => e.type)).toEqual(['watch-start', 'host-miss', 'host-recovered']);
    expect(lockOf('vcenter')).toBe('esx1');
  });

  it('rescue pause, then the host hangs: nothing happens; rescue resume: it is fenced and its VM fails over, anti-affinity moves the watcher VM', async () => {
    const before = events().length;
    expect(cli('pause', join(dir, 'policy.ts'), '--reason', 'maintenance').status).toBe(0);
    await until('the pause to be seen', eventAfter(before, 'paused'));
    lab.hangHost('esx1');
    const r0 = round();
    await until(`${K + 3} rounds while paused`, () => round() >= r0 + K + 3);
    expect(events().slice(before).map((e) => e.type)).toEqual(['paused']);
    expect(cli('status', join(dir, 'policy.ts')).stdout).toContain('paused: yes, since');

    const from = events().length;
    expect(cli('resume', join(dir, 'policy.ts')).status).toBe(0);
    const moved = await until('the anti-affinity move', eventAfter(from, 'moved'), 90000);
    await until('the notification of the move', () => events().slice(from).find((e) => e.type === 'notified' && e.vm === 'rescue'));
    const log = events().slice(from);
    const types = log.map((e) => `${e.type}${e.host ? ` ${e.host}` : ''}${e.vm ? ` ${e.vm}` : ''}${e.to ? ` ${e.to}` : ''}`);
    expect(types).toEqual([
      'resumed', 'host-miss esx1', 'host-failed esx1', 'fence esx1', 'fenced esx1', 'failover-start esx1 vcenter', 'start esx2 vcenter',
      'failover esx1 vcenter esx2', 'anti-affinity esx2 rescue esx3', 'evict esx2 rescue', 'notified esx1 vcenter',
      'moved esx2 rescue esx3', 'notified esx2 rescue',
    ]);
    // Detected within the configured time: K misses and the grace period, each probe at most its timeout.
    const firstMiss = Date.parse(log.find((e) => e.type === 'host-miss')!.time);
    const fence = Date.parse(log.find((e) => e.type === 'fence')!.time);
    expect(fence - firstMiss).toBeLessThanOrEqual(1000 + K * (500 + 1000) + 1500);
    expect(await chassisPowerStatus({ host: 'esx1', ...lab.hosts[0]!.bmc! })).toBe('off');
    expect(lab.bmcPower('esx1')).toBe('off');
    // Exactly one copy of each, on different hosts.
    expect([lockOf('vcenter'), lockOf('rescue')]).toEqual(['esx2', 'esx3']);
    for (const h of ['esx2', 'esx3']) {
      const list = (await lab.exec(h, 'for id in $(vim-cmd vmsvc/getallvms | sed -n "s/^\\([0-9][0-9]*\\) .*/\\1/p"); do vim-cmd vmsvc/power.getstate $id | tail -n 1; done')).stdout;
      expect(list.split('\n').filter((l) => l === 'Powered on')).toHaveLength(1);
    }
    expect(moved.to).toBe('esx3');
    // Notified by the command (event on stdin) and the webhook.
    const sent = readFileSync(join(dir, 'notified.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Ev);
    expect(sent.map((e) => e.type)).toEqual(['failover', 'moved']);
    expect(hooks.map((h) => (JSON.parse(h) as Ev).type)).toEqual(['failover', 'moved']);
    const status = cli('status', join(dir, 'policy.ts')).stdout;
    expect(status).toContain('esx1: fenced');
    expect(status).toContain('failover done: vcenter esx1 -> esx2');
    w.kill('SIGTERM');
    expect(await exited(w)).toBe(143);
  });

  it('a second watcher start does nothing more', async () => {
    const from = events().length;
    const again = startWatcher('--rounds', '4');
    expect(await exited(again)).toBe(0);
    expect(events().slice(from).map((e) => e.type)).toEqual(['watch-start']);
    expect([lockOf('vcenter'), lockOf('rescue')]).toEqual(['esx2', 'esx3']);
  });

  it('a failed host whose BMC does not answer: no failover, an alert, the VM started nowhere', async () => {
    lab.setBmcReachable('esx2', false);
    lab.hangHost('esx2');
    try {
      const from = events().length;
      const w2 = startWatcher();
      await until('the alert', eventAfter(from, 'fence-impossible', 'esx2'), 90000);
      await until('the alert sent', eventAfter(from, 'notified', 'esx2'));
      const r0 = round();
      await until('a full round after it', () => round() >= r0 + 2, 90000);
      w2.kill('SIGTERM');
      expect(await exited(w2)).toBe(143);
      const types = events().slice(from).map((e) => e.type);
      expect(types).toEqual(['watch-start', 'host-miss', 'fence-impossible', 'notified']);
      expect(lockOf('vcenter')).toBe('esx2');
      const sent = readFileSync(join(dir, 'notified.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Ev);
      expect(sent.at(-1)).toMatchObject({ type: 'fence-impossible', host: 'esx2' });
    } finally {
      lab.resumeHost('esx2');
      lab.setBmcReachable('esx2', true);
    }
  });
});
