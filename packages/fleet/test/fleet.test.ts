// Queue mode against a real redis-server (started here on a private port) and real lab hosts:
// 30 hosts, 3 workers, the same workload in-process and through the queue, a worker killed with
// SIGKILL mid-slice, Redis stopped and restarted, Redis gone for good, hosts pinned to a tag.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLab, type Lab } from '@shipshape/testlab';

const BIN = join(process.cwd(), 'packages/cli/dist/bundle/bin.js');
const PLAYBOOK = 'packages/fleet/test/fixtures/fleet.ts';
const PLAYS = 'packages/fleet/test/fixtures/plays.ts';
const HOSTS = 30;
/** Short stall detection: a lost worker's slice runs again after 3 to 6 s. */
const STALL_S = '3';
/** Four runs of 30 hosts: minutes when the machine's 2 cores are shared with other work. */
const TEST_TIMEOUT = 300_000;
/** SSH connection timeout: 30 sshd hosts on a loaded machine may take their time to answer. */
const CONNECT_TIMEOUT_S = '60';

let lab: Lab;
let redis: RedisServer;
let queue: string;
const workers = new Map<string, Proc>();
const work = mkdtempSync(join(tmpdir(), 'ss-fleet-'));

interface Proc {
  readonly child: ChildProcess;
  out: string;
  err: string;
  readonly exited: Promise<number | null>;
}

function start(args: string[]): Proc {
  const child = spawn('node', [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
  const p: Proc = { child, out: '', err: '', exited: new Promise((r) => child.on('exit', (code) => r(code))) };
  child.stdout!.on('data', (d: Buffer) => (p.out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (p.err += d.toString()));
  return p;
}

/** Resolves once `text` shows up in what the stream printed. */
function printed(stream: NodeJS.ReadableStream, text: string, sofar = ''): Promise<void> {
  return new Promise((resolve) => {
    let seen = sofar;
    if (seen.includes(text)) return resolve();
    const on = (d: Buffer) => {
      seen += d.toString();
      if (seen.includes(text)) {
        stream.off('data', on);
        resolve();
      }
    };
    stream.on('data', on);
  });
}

async function shipshape(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const p = start(args);
  const code = await p.exited;
  return { code, out: p.out, err: p.err };
}

interface RedisServer {
  readonly port: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** Debian's redis-server with an append-only file fsynced on every write: a restart keeps the queue. */
async function startRedis(port: number, dir: string): Promise<RedisServer> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--daemonize', 'no']);
  const exited = new Promise((r) => child.on('exit', r));
  await printed(child.stdout!, 'Ready to accept connections');
  return { port, child, stop: async () => void (child.kill('SIGTERM'), await exited) };
}

async function startWorker(name: string, extra: string[] = []): Promise<Proc> {
  const w = start(['worker', '--queue', queue, '--name', name, '--stall-timeout', STALL_S, ...extra]);
  await printed(w.child.stderr!, `worker ${name} serving`);
  workers.set(name, w);
  return w;
}

/** The PLAY RECAP's host lines. */
function recap(out: string): string[] {
  const from = out.indexOf('PLAY RECAP');
  expect(from).toBeGreaterThanOrEqual(0);
  return out.slice(from).split('\n').slice(1).filter((l) => / : ok=/.test(l));
}

/** Resolves with the file names in `dir` once there are at least `n`. */
function files(dir: string, n: number): Promise<string[]> {
  return new Promise((resolve) => {
    const look = () => {
      const list = readdirSync(dir);
      if (list.length < n) return false;
      w.close();
      resolve(list);
      return true;
    };
    const w = watch(dir, look);
    look();
  });
}

/** Resolves with the first file name that shows up in `dir`. */
async function firstFile(dir: string): Promise<string> {
  return (await files(dir, 1))[0]!;
}

/** How many lines each host's command log has. */
function logLines(): Map<string, number> {
  const log = (root: string) => join(root, 'root/fleet-commands.log');
  return new Map(lab.hosts.map((h) => [h.name, existsSync(log(h.root)) ? readFileSync(log(h.root), 'utf8').split('\n').filter(Boolean).length : 0]));
}

/** Per host, the SSH connections that ran its commands must never overlap in time. */
function overlaps(): string[] {
  const bad: string[] = [];
  for (const h of lab.hosts) {
    const log = join(h.root, 'root/fleet-commands.log');
    const spans = new Map<string, [bigint, bigint]>();
    for (const line of readFileSync(log, 'utf8').split('\n').filter(Boolean)) {
      const [ts, ip, port] = line.split(' ');
      const t = BigInt(ts!);
      const key = `${ip}:${port}`;
      const s = spans.get(key);
      spans.set(key, s ? [s[0], t] : [t, t]);
    }
    const sorted = [...spans.values()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    for (let i = 1; i < sorted.length; i++) if (sorted[i]![0] <= sorted[i - 1]![1]) bad.push(h.name);
  }
  return bad;
}

function gateDir(name: string): string {
  const d = join(work, name);
  mkdirSync(d);
  return d;
}

beforeAll(async () => {
  lab = await startLab({ id: 120, hosts: HOSTS });
  redis = await startRedis(await freePort(), work);
  queue = `redis://127.0.0.1:${redis.port}`;
  await Promise.all(['w1', 'w2', 'w3'].map((n) => startWorker(n)));
}, 300_000);

afterAll(async () => {
  for (const w of workers.values()) w.child.kill('SIGKILL');
  await Promise.all([...workers.values()].map((w) => w.exited));
  redis?.child.kill('SIGKILL');
  await lab?.stop();
});

describe('shipshape run --queue', () => {
  it('reports what an in-process run on the same hosts reports; a second run changes nothing', async () => {
    const local = await shipshape(['run', PLAYBOOK, '-i', lab.inventoryPath, '-T', CONNECT_TIMEOUT_S]);
    expect({ code: local.code, unreachable: local.out.split('\n').filter((l) => /UNREACHABLE/.test(l)) }).toEqual({ code: 0, unreachable: [] });
    const reset = await shipshape(['adhoc', 'all', '-i', lab.inventoryPath, '-T', CONNECT_TIMEOUT_S, '-m', 'file', '-a', 'path=/srv/fleet-test state=absent']);
    expect(reset.code).toBe(0);
    const queued = await shipshape(['run', PLAYBOOK, '-i', lab.inventoryPath, '-T', CONNECT_TIMEOUT_S, '--queue', queue]);
    expect({ code: queued.code, err: queued.err }).toEqual({ code: 0, err: '' });
    expect(recap(queued.out)).toEqual(recap(local.out));
    expect(recap(queued.out)).toHaveLength(HOSTS);
    expect(recap(queued.out).every((l) => /changed=4 /.test(l))).toBe(true);
    const again = await shipshape(['run', PLAYBOOK, '-i', lab.inventoryPath, '-T', CONNECT_TIMEOUT_S, '--queue', queue, '--json']);
    expect(again.code).toBe(0);
    const doc = JSON.parse(again.out) as { stats: Record<string, { changed: number; ok: number }> };
    expect(Object.keys(doc.stats)).toHaveLength(HOSTS);
    expect(Object.values(doc.stats).every((s) => s.changed === 0 && s.ok === 9)).toBe(true);
  }, TEST_TIMEOUT);

  it('survives a worker killed with SIGKILL mid-slice: the slice runs again elsewhere, hosts are never worked on by two workers at once', async () => {
    const gate = gateDir('kill');
    const run = start(['run', PLAYBOOK, '-i', lab.inventoryPath, '-T', CONNECT_TIMEOUT_S, '--queue', queue, '-e', `gate_dir=${gate}`]);
    const pid = Number((await firstFile(gate)).split('-')[0]);
    const [name, victim] = [...workers].find(([, w]) => w.child.pid === pid)!;
    victim.child.kill('SIGKILL');
    await victim.exited;
    workers.delete(name);
    writeFileSync(join(gate, 'release'), '');
    expect({ code: await run.exited, err: run.err }).toEqual({ code: 0, err: '' });
    const lost = readdirSync(gate).filter((f) => f.startsWith(`${pid}-`)).map((f) => f.slice(`${pid}-`.length));
    expect(lost.length).toBeGreaterThan(0);
    const retried = /^retried on another worker: (.*)$/m.exec(run.out)?.[1]?.split(', ') ?? [];
    expect(retried).toEqual(expect.arrayContaining(lost));
    expect(retried.length).toBeGreaterThanOrEqual(HOSTS / 3);
    expect(recap(run.out)).toHaveLength(HOSTS);
    expect(overlaps()).toEqual([]);
    await startWorker('w4');
    const again = await shipshape(['run', PLAYBOOK, '-i', lab.inventoryPath, '-T', CONNECT_TIMEOUT_S, '--queue', queue]);
    expect(again.code).toBe(0);
    expect(recap(again.out).filter((l) => !/changed=0 /.test(l))).toEqual([]);
  }, TEST_TIMEOUT);

  it('pins hosts with shipshape_worker_tag to workers with that tag', async () => {
    const inv = join(work, 'tagged');
    mkdirSync(join(inv, 'host_vars'), { recursive: true });
    writeFileSync(join(inv, 'hosts.ini'), readFileSync(lab.inventoryPath, 'utf8'));
    const pinned = ['host2', 'host7', 'host11'];
    for (const h of pinned) writeFileSync(join(inv, 'host_vars', `${h}.yml`), 'shipshape_worker_tag: site-a\n');
    const none = await shipshape(['run', PLAYBOOK, '-i', join(inv, 'hosts.ini'), '-T', CONNECT_TIMEOUT_S, '--queue', queue]);
    expect(none.code).toBe(1);
    expect(none.err).toContain('no live worker has the tag "site-a" that host2, host7, host11 are pinned to (shipshape_worker_tag)');
    const tagged = await startWorker('site-a-1', ['--tags', 'site-a']);
    const record = gateDir('record');
    const run = await shipshape(['run', PLAYBOOK, '-i', join(inv, 'hosts.ini'), '-T', CONNECT_TIMEOUT_S, '--queue', queue, '-e', `record_dir=${record}`]);
    expect({ code: run.code, err: run.err }).toEqual({ code: 0, err: '' });
    const ranOn = (h: string) => Number(readFileSync(join(record, h), 'utf8'));
    expect(pinned.map(ranOn)).toEqual(pinned.map(() => tagged.child.pid));
    expect(readdirSync(record)).toHaveLength(HOSTS);
    tagged.child.kill('SIGTERM');
    expect(await tagged.exited).toBe(0);
    workers.delete('site-a-1');
  }, TEST_TIMEOUT);

  it('starts a play once the play before is done on every slice; hostvars show the other slices\' hosts\' facts and registered vars', async () => {
    for (const h of lab.hosts) rmSync(join(h.root, 'root/fleet-plays.log'), { force: true });
    const args = ['run', PLAYS, '-i', lab.inventoryPath, '-T', CONNECT_TIMEOUT_S, '--queue', queue, '--slice-size', '10'];
    const run = await shipshape([...args, '-e', 'slow_host=host1']);
    expect({ code: run.code, err: run.err }).toEqual({ code: 0, err: '' });
    expect(recap(run.out)).toHaveLength(HOSTS);
    // Every host's play 2 began after the last host (host1, slow, in slice 1) ended play 1.
    const at = (what: string) => lab.hosts.map((h) => BigInt(readFileSync(join(h.root, 'root/fleet-plays.log'), 'utf8').split('\n').find((l) => l.endsWith(` ${what}`))!.split(' ')[0]!));
    const play1End = at('play1-end').reduce((a, b) => (a > b ? a : b));
    const play2Begin = at('play2-begin').reduce((a, b) => (a < b ? a : b));
    expect(play2Begin > play1End).toBe(true);
    const again = await shipshape(args);
    expect({ code: again.code, err: again.err }).toEqual({ code: 0, err: '' });
    expect(recap(again.out).filter((l) => !/changed=0 .*failed=0 /.test(l))).toEqual([]);
  }, TEST_TIMEOUT);

  it('fails clearly when slices wait between plays for slices no worker is free to start', async () => {
    // 6 slices, 3 worker slots: 3 slices finish play 1 and wait for 3 that cannot start.
    const run = await shipshape(['run', PLAYS, '-i', lab.inventoryPath, '-T', CONNECT_TIMEOUT_S, '--queue', queue, '--slice-size', '5', '--queue-timeout', '3']);
    expect(run.code).toBe(1);
    // (the slices waiting are those that had got there when the 3 s began)
    expect(run.err).toMatch(/ERROR! slice\(s\) 4, 5, 6 found no free worker for 3 s while slice\(s\) [1-3](, [1-3])* wait for them to start play "second"/);
  }, TEST_TIMEOUT);

  it('Ctrl-C cancels the queued slices, lets the running tasks finish, prints the recap and exits 130', async () => {
    const gate = gateDir('interrupt');
    const before = logLines();
    // 6 slices of 5 hosts, 3 worker slots: 3 slices run (and wait at the gate), 3 are queued.
    const run = start(['run', PLAYBOOK, '-i', lab.inventoryPath, '-T', CONNECT_TIMEOUT_S, '--queue', queue, '--slice-size', '5', '-e', `gate_dir=${gate}`]);
    const reached = await files(gate, 15);
    const atGate = reached.map((f) => f.split('-')[1]!);
    // The workers whose slices wait at the gate (its files are named <worker pid>-<host>), and what they printed so far.
    const running = [...workers.values()].filter((w) => reached.some((f) => f.startsWith(`${w.child.pid}-`)));
    const marks = running.map((w) => w.err.length);
    run.child.kill('SIGINT');
    await printed(run.child.stderr!, 'interrupt: finishing in-flight tasks', run.err);
    // The gate opens once every running worker has had the cancel (it travels through Redis).
    await Promise.all(running.map((w, i) => printed(w.child.stderr!, 'cancelled by its controller', w.err.slice(marks[i]))));
    writeFileSync(join(gate, 'release'), '');
    expect(await run.exited).toBe(130);
    const after = logLines();
    const ran = lab.hosts.map((h) => h.name).filter((h) => after.get(h) !== before.get(h));
    expect(ran.sort()).toEqual([...atGate].sort());
    // The gate task finished on the running hosts; no task after it started (as in a local run, the
    // module tasks an earlier task's fold had done are still reported).
    expect(recap(run.out).map((l) => l.split(' ')[0]).sort()).toEqual([...atGate].sort());
    expect(run.out).toContain('TASK [gate]');
    expect(run.out).not.toContain('TASK [record worker]');
    expect(run.out).toContain('run interrupted');
  }, TEST_TIMEOUT);

  it('runs over rediss:// with the server\'s certificate verified against --queue-ca', async () => {
    const dir = gateDir('tls');
    const at = (f: string) => join(dir, f);
    const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=fleet test CA', '-keyout', at('ca.key'), '-out', at('ca.pem'));
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', at('redis.key'), '-out', at('redis.csr'));
    writeFileSync(at('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
    openssl('x509', '-req', '-days', '1', '-in', at('redis.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial', '-extfile', at('san.ext'), '-out', at('redis.pem'));
    const port = await freePort();
    const server = spawn('redis-server', ['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--tls-cert-file', at('redis.pem'), '--tls-key-file', at('redis.key'),
      '--tls-ca-cert-file', at('ca.pem'), '--tls-auth-clients', 'no', '--dir', dir, '--save', '', '--daemonize', 'no']);
    const gone = new Promise((r) => server.on('exit', r));
    try {
      await printed(server.stdout!, 'Ready to accept connections');
      const url = `rediss://127.0.0.1:${port}`;
      const args = ['run', PLAYBOOK, '-i', lab.inventoryPath, '-T', CONNECT_TIMEOUT_S, '-l', 'host1:host2:host3', '--queue', url];
      // Without the CA the server's certificate is not trusted: no connection, the run fails saying why.
      const untrusted = await shipshape([...args, '--queue-timeout', '2']);
      expect(untrusted.code).toBe(1);
      expect(untrusted.err).toMatch(/ERROR! the queue's Redis at rediss:\/\/127\.0\.0\.1:\d+ has not answered for 2 s \(self[- ]signed certificate in certificate chain\)/);
      const w = start(['worker', '--queue', url, '--queue-ca', at('ca.pem'), '--name', 'tls-1']);
      try {
        await printed(w.child.stderr!, 'worker tls-1 serving');
        const run = await shipshape([...args, '--queue-ca', at('ca.pem')]);
        expect({ code: run.code, err: run.err }).toEqual({ code: 0, err: '' });
        expect(recap(run.out).map((l) => l.split(' ')[0])).toEqual(['host1', 'host2', 'host3']);
      } finally {
        w.child.kill('SIGTERM');
        await w.exited;
      }
    } finally {
      server.kill('SIGTERM');
      await gone;
    }
  }, TEST_TIMEOUT);

  /** A queued run held at its gate while Redis stops and `meanwhile` runs, then let go. */
  async function runAcrossRedisStop(name: string, queueTimeout: string, meanwhile: () => Promise<void>): Promise<{ run: Proc; gate: string }> {
    const gate = gateDir(name);
    const run = start(['run', PLAYBOOK, '-i', lab.inventoryPath, '-T', CONNECT_TIMEOUT_S, '--queue', queue, '-e', `gate_dir=${gate}`, '--queue-timeout', queueTimeout]);
    await firstFile(gate);
    await redis.stop();
    await meanwhile();
    writeFileSync(join(gate, 'release'), '');
    return { run, gate };
  }

  it('completes when Redis is stopped mid-run and comes back within the timeout', async () => {
    const { run } = await runAcrossRedisStop('restart', '60', async () => {
      redis = await startRedis(redis.port, work);
    });
    expect({ code: await run.exited, err: run.err }).toEqual({ code: 0, err: '' });
    expect(recap(run.out)).toHaveLength(HOSTS);
  }, TEST_TIMEOUT);

  it('fails with exit 1 and says so when Redis stays away past the timeout', async () => {
    const { run, gate } = await runAcrossRedisStop('gone', '3', async () => undefined);
    expect(await run.exited).toBe(1);
    expect(run.err).toContain(`ERROR! the queue's Redis at ${queue} has not answered for 3 s`);
    expect(existsSync(join(gate, 'release'))).toBe(true);
  }, TEST_TIMEOUT);
});
