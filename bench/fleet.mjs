// Queue mode's overhead: bench/workload.ts on N lab hosts in-process and through a Redis queue served
// by W workers on this machine, first run (everything changes) and converged. See bench/README.md.
// node bench/fleet.mjs [--hosts 50] [--workers 2] [--reps 3] [--lab-id 212]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startLab } from '@shipshape/testlab';

const { values } = parseArgs({ options: { hosts: { type: 'string', default: '50' }, workers: { type: 'string', default: '2' }, reps: { type: 'string', default: '3' }, 'lab-id': { type: 'string', default: '212' } } });
const [HOSTS, WORKERS, REPS, LAB_ID] = ['hosts', 'workers', 'reps', 'lab-id'].map((k) => {
  if (!/^[1-9]\d*$/.test(values[k])) throw new Error(`--${k}: expected a positive integer, got ${JSON.stringify(values[k])}`);
  return Number(values[k]);
});
const repo = resolve(import.meta.dirname, '..');
const BIN = join(repo, 'packages/cli/dist/bundle/bin.js');
const SAVE = 'mkdir -p /var/tmp/bench-orig /etc/cron.d && for f in /etc/ssh/sshd_config /etc/motd /etc/profile; do cp -p "$f" /var/tmp/bench-orig/ 2>/dev/null || true; done';
const RESET = 'cp -p /var/tmp/bench-orig/sshd_config /etc/ssh/sshd_config; cp -p /var/tmp/bench-orig/motd /etc/motd 2>/dev/null || rm -f /etc/motd; cp -p /var/tmp/bench-orig/profile /etc/profile; rm -rf /srv/bench /etc/aliases /etc/cron.d/bench-backup /var/tmp/sshd-reloads';
const work = mkdtempSync(join(tmpdir(), 'ss-bench-fleet-'));

/** Resolves once `text` shows up on the stream. */
const printed = (stream, text) => new Promise((res) => {
  let seen = '';
  stream.on('data', function on(d) {
    seen += d;
    if (seen.includes(text)) stream.off('data', on), res();
  });
});

function timedRun(args) {
  const t0 = performance.now();
  const r = spawnSync('node', [BIN, 'run', 'bench/workload.ts', ...args, '--json'], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`shipshape run ${args.join(' ')} exited ${r.status}\n${r.stderr.slice(-3000)}`);
  const stats = Object.values(JSON.parse(r.stdout).stats);
  if (stats.length !== HOSTS) throw new Error(`the recap holds ${stats.length} hosts, not ${HOSTS}`);
  return { seconds, changed: stats.reduce((n, s) => n + s.changed, 0) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const srv = createServer();
await new Promise((r) => srv.listen(0, '127.0.0.1', r));
const port = srv.address().port;
await new Promise((r) => srv.close(r));
const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', work, '--appendonly', 'yes', '--save', '', '--daemonize', 'no']);
await printed(redis.stdout, 'Ready to accept connections');
const queue = `redis://127.0.0.1:${port}`;
const workers = [];
let lab;
try {
  for (let i = 1; i <= WORKERS; i++) {
    const w = spawn('node', [BIN, 'worker', '--queue', queue, '--name', `bench-${i}`]);
    await printed(w.stderr, 'serving');
    workers.push(w);
  }
  console.log(`bench: starting ${HOSTS} lab hosts`);
  lab = await startLab({ id: LAB_ID, hosts: HOSTS });
  await Promise.all(lab.hosts.map((h) => lab.exec(h.name, SAVE)));
  const inv = ['-i', lab.inventoryPath];
  const modes = { 'in-process': inv, [`queue, ${WORKERS} workers`]: [...inv, '--queue', queue] };
  const times = Object.fromEntries(Object.keys(modes).map((m) => [m, { first: [], converged: [] }]));
  // One untimed warm-up of each (compile caches, the workers' first playbook load).
  for (const args of Object.values(modes)) {
    await Promise.all(lab.hosts.map((h) => lab.exec(h.name, RESET)));
    timedRun(args);
  }
  for (let r = 0; r < REPS; r++) {
    for (const [mode, args] of Object.entries(modes)) {
      await Promise.all(lab.hosts.map((h) => lab.exec(h.name, RESET)));
      const first = timedRun(args);
      const again = timedRun(args);
      if (first.changed === 0 || again.changed !== 0) throw new Error(`${mode}: the first run changed ${first.changed}, the second ${again.changed} (expected some, then none)`);
      times[mode].first.push(first.seconds);
      times[mode].converged.push(again.seconds);
    }
  }
  const [local, queued] = Object.keys(modes);
  console.log(`\n${HOSTS} hosts, ${REPS} repetitions (medians), ${cpus().length} cores, load average ${spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.split(' ').slice(0, 3).join(' ')}`);
  console.log(`| run | ${local} s | ${queued} s | queue / in-process |\n|---|---|---|---|`);
  for (const run of ['first', 'converged']) {
    const a = median(times[local][run]);
    const b = median(times[queued][run]);
    console.log(`| ${run} | ${a.toFixed(2)} | ${b.toFixed(2)} | ${(b / a).toFixed(2)}x |`);
  }
} finally {
  for (const w of workers) w.kill('SIGTERM');
  await lab?.stop();
  redis.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
