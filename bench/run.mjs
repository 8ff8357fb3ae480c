// shipshape vs Ansible on the same lab hosts and the same workload. See README "Performance".
// usage: npm run bench -- [--hosts 10] [--reps 3]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startLab } from '@shipshape/testlab';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const HOSTS = arg('hosts', 10);
const REPS = arg('reps', 3);
const LAB_ID = arg('lab-id', 210);
const repo = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'ss-bench-'));

function ensureAnsible() {
  if (spawnSync('ansible-playbook', ['--version']).status === 0) return;
  console.error('bench: installing ansible-core with apt-get');
  execFileSync('apt-get', ['install', '-y', '-qq', 'ansible-core'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}
function ensureTime() {
  if (existsSync('/usr/bin/time')) return;
  execFileSync('apt-get', ['install', '-y', '-qq', 'time'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** Run a command under GNU time; wall seconds and peak RSS (MB) of the controller process tree's largest member. */
function timed(cmd, args, env = {}) {
  const rss = join(work, 'rss');
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', rss, cmd, ...args], { cwd: repo, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  return { seconds, rssMb: Number(readFileSync(rss, 'utf8').trim().split('\n').pop()) / 1024, stdout: r.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

ensureAnsible();
ensureTime();
console.log(`bench: starting ${HOSTS} lab hosts`);
const lab = await startLab({ id: LAB_ID, hosts: HOSTS });
try {
  // Save pristine copies once so every "first run" starts from the same state.
  const SAVE = 'mkdir -p /var/tmp/bench-orig /etc/cron.d && for f in /etc/ssh/sshd_config /etc/motd /etc/profile; do cp -p "$f" /var/tmp/bench-orig/ 2>/dev/null || true; done';
  const RESET = 'cp -p /var/tmp/bench-orig/sshd_config /etc/ssh/sshd_config; cp -p /var/tmp/bench-orig/motd /etc/motd 2>/dev/null || rm -f /etc/motd; cp -p /var/tmp/bench-orig/profile /etc/profile; rm -rf /srv/bench /etc/aliases /etc/cron.d/bench-backup /var/tmp/sshd-reloads';
  await Promise.all(lab.hosts.map((h) => lab.exec(h.name, SAVE)));
  const reset = () => Promise.all(lab.hosts.map((h) => lab.exec(h.name, RESET)));
  const floorHosts = join(work, 'hosts.json');
  writeFileSync(floorHosts, JSON.stringify(lab.hosts.map((h) => ({ host: h.address, port: h.port, user: 'root', privateKeyPath: lab.keyPath }))));

  const ansibleEnv = { ANSIBLE_CONFIG: join(repo, 'bench/ansible.cfg') };
  const tools = {
    ansible: () => timed('ansible-playbook', ['-i', lab.inventoryPath, 'bench/workload.yml', '--forks', String(Math.max(HOSTS, 5))], ansibleEnv),
    shipshape: () => timed('node', ['packages/cli/dist/bundle/bin.js', 'run', 'bench/workload.ts', '-i', lab.inventoryPath, '--json']),
  };
  const changedOf = (tool, out) => {
    if (tool === 'shipshape') return Object.values(JSON.parse(out).stats).reduce((n, s) => n + s.changed, 0);
    return [...out.matchAll(/changed=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  };
  // One untimed run of each tool first: caches a fresh build or a fresh lab would otherwise charge to
  // the first sample (shipshape's V8 code cache and compiled playbook, Ansible's module cache, the hosts' page cache).
  for (const tool of ['ansible', 'shipshape']) {
    await reset();
    tools[tool]();
  }
  const samples = { ansible: { first: [], second: [], rss: [] }, shipshape: { first: [], second: [], rss: [] }, floor: [] };
  for (let rep = 0; rep < REPS; rep++) {
    const order = rep % 2 === 0 ? ['ansible', 'shipshape'] : ['shipshape', 'ansible'];
    for (const tool of order) {
      await reset();
      const first = tools[tool]();
      const second = tools[tool]();
      const c1 = changedOf(tool, first.stdout);
      const c2 = changedOf(tool, second.stdout);
      if (c1 === 0 || c2 !== 0) throw new Error(`${tool}: expected changes on the first run and none on the second, got ${c1} and ${c2}`);
      samples[tool].first.push(first.seconds);
      samples[tool].second.push(second.seconds);
      samples[tool].rss.push(Math.max(first.rssMb, second.rssMb));
      console.log(`rep ${rep + 1} ${tool}: first ${first.seconds.toFixed(2)}s (${c1} changed), second ${second.seconds.toFixed(2)}s`);
    }
    samples.floor.push(timed('node', ['bench/floor.mjs', floorHosts]).seconds);
  }
  const a = { first: median(samples.ansible.first), second: median(samples.ansible.second) };
  const s = { first: median(samples.shipshape.first), second: median(samples.shipshape.second) };
  const floor = median(samples.floor);
  const rows = [
    ['run', 'ansible s', 'shipshape s', 'ansible/shipshape', 'shipshape/floor'],
    ['first (all change)', a.first.toFixed(2), s.first.toFixed(3), `${(a.first / s.first).toFixed(1)}x`, `${(s.first / floor).toFixed(2)}x`],
    ['second (converged)', a.second.toFixed(2), s.second.toFixed(3), `${(a.second / s.second).toFixed(1)}x`, `${(s.second / floor).toFixed(2)}x`],
    ['floor (ssh2, 1 read)', '', floor.toFixed(3), '', '1.00x'],
  ];
  const width = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(`\n${HOSTS} hosts, ${REPS} repetitions (medians), ${cpus().length} cores ${cpus()[0]?.model ?? ''}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
  for (const r of rows) console.log(`| ${r.map((c, i) => c.padEnd(width[i])).join(' | ')} |`);
  console.log(`controller peak RSS: shipshape ${Math.max(...samples.shipshape.rss).toFixed(0)} MB, ansible (largest process) ${Math.max(...samples.ansible.rss).toFixed(0)} MB`);
} finally {
  await lab.stop();
}
