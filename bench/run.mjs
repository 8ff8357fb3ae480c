// shipshape vs Ansible and two floors on the same lab hosts and the same workload. See bench/README.md.
// usage: npm run bench -- [--hosts 10 | --scale 10,50,100,200] [--reps 3] [--ansible-max 50] [--out bench] [--lab-id 210]
//        node bench/run.mjs --chart RESULTS.json [--out DIR]   (redraw a chart)
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { startLab } from '@shipshape/testlab';
import { chart } from './svg.mjs';

const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  if (argv[i + 1] === undefined) fail(`--${name} needs a value`);
  return argv[i + 1];
};
function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}
/** A check of the bench's own premises failed: the figures would mean nothing, so no size counts. */
class BenchAssertion extends Error {}
const int = (name, text) => (/^[1-9]\d*$/.test(text) ? Number(text) : fail(`--${name}: expected a positive integer, got ${JSON.stringify(text)}`));
const SIZES = (opt('scale') ?? opt('hosts') ?? '10').split(',').map((s) => int(opt('scale') ? 'scale' : 'hosts', s));
const REPS = int('reps', opt('reps') ?? (SIZES.length > 1 ? '1' : '3'));
const ANSIBLE_MAX = /^\d+$/.test(opt('ansible-max') ?? '50') ? Number(opt('ansible-max') ?? 50) : fail(`--ansible-max: expected a number of hosts (0: no Ansible), got ${JSON.stringify(opt('ansible-max'))}`);
const LAB_ID = int('lab-id', opt('lab-id') ?? '210');
const repo = resolve(import.meta.dirname, '..');
const OUT = resolve(opt('out') ?? join(repo, 'bench'));
const work = mkdtempSync(join(tmpdir(), 'ss-bench-'));

/** What the workload changes: the write floor writes these, captured from a host shipshape converged. */
const CHANGED_DIRS = [1, 2, 3, 4, 5].map((i) => `/srv/bench/dir${i}`);
const CHANGED_FILES = ['/etc/ssh/sshd_config', '/etc/motd', '/etc/profile', '/etc/aliases', '/etc/cron.d/bench-backup', '/var/tmp/sshd-reloads'];
const SAVE = 'mkdir -p /var/tmp/bench-orig /etc/cron.d && for f in /etc/ssh/sshd_config /etc/motd /etc/profile; do cp -p "$f" /var/tmp/bench-orig/ 2>/dev/null || true; done';
const RESET = 'cp -p /var/tmp/bench-orig/sshd_config /etc/ssh/sshd_config; cp -p /var/tmp/bench-orig/motd /etc/motd 2>/dev/null || rm -f /etc/motd; cp -p /var/tmp/bench-orig/profile /etc/profile; rm -rf /srv/bench /etc/aliases /etc/cron.d/bench-backup /var/tmp/sshd-reloads';

function ensurePackage(bin, pkg) {
  if (existsSync(bin)) return;
  console.error(`bench: installing ${pkg} with apt-get`);
  execFileSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

/** Run a command under GNU time: wall seconds and peak RSS (MB) of the controller process tree's largest member. */
function timed(cmd, args, env = {}) {
  const rss = join(work, 'rss');
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', rss, cmd, ...args], { cwd: repo, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  return { seconds, rssMb: Number(readFileSync(rss, 'utf8').trim().split('\n').pop()) / 1024, stdout: r.stdout };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Least squares y = intercept + slope * x. */
function fit(points) {
  if (points.length < 2) return undefined;
  const n = points.length, mx = points.reduce((a, [x]) => a + x, 0) / n, my = points.reduce((a, [, y]) => a + y, 0) / n;
  const sxx = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  const slope = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / sxx;
  return { slope, intercept: my - slope * mx };
}

async function pool(items, width, fn) {
  const queue = [...items];
  await Promise.all(Array.from({ length: Math.min(width, queue.length) }, async () => {
    while (queue.length) await fn(queue.shift());
  }));
}

/**
 * The hosts must not carry shell set-up that a tool running one SSH command per task would pay on every
 * task: root's init files absent or the distro's /etc/skel copies the lab gives a new host, no sshrc, the
 * distro's own /etc/profile, /etc/bash.bashrc and /etc/skel (dpkg --verify), and
 * `echo x` over the bench's key printing exactly `x`.
 */
async function assertNoShellSetup(lab) {
  const HOME_INIT = ['.bashrc', '.bash_profile', '.bash_login', '.bash_logout', '.profile', '.shrc', '.kshrc', '.zshenv', '.zshrc', '.cshrc', '.tcshrc', '.login', '.ssh/rc', '.ssh/environment'];
  const problems = [];
  for (const h of lab.hosts) {
    const skel = (f) => join(h.root, 'etc/skel', f);
    const found = HOME_INIT.filter((f) => existsSync(join(h.root, 'root', f)))
      .filter((f) => !existsSync(skel(f)) || !readFileSync(join(h.root, 'root', f)).equals(readFileSync(skel(f))));
    if (existsSync(join(h.root, 'etc/ssh/sshrc'))) found.push('/etc/ssh/sshrc');
    if (found.length) problems.push(`${h.name}: ${found.join(', ')}`);
  }
  const verify = await lab.exec(lab.hosts[0].name, 'dpkg --verify bash base-files');
  const altered = verify.stdout.split('\n').filter((l) => / \/etc\//.test(l));
  if (altered.length) problems.push(`${lab.hosts[0].name}: shell init files differ from their Debian package: ${altered.join('; ')}`);
  const run = promisify(execFile);
  await pool(lab.hosts, 16, async (h) => {
    const r = await run('ssh', ['-F', '/dev/null', '-i', lab.keyPath, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', `UserKnownHostsFile=${lab.knownHostsPath}`,
      '-o', 'StrictHostKeyChecking=yes', '-p', String(h.port), `root@${h.address}`, 'echo x'], { encoding: 'utf8' }).catch((e) => e);
    if (r.stdout !== 'x\n' || r.stderr !== '') problems.push(`${h.name}: ssh 'echo x' printed ${JSON.stringify(r.stdout)} and ${JSON.stringify(r.stderr)} on stderr`);
  });
  if (problems.length) throw new BenchAssertion(`bench hosts carry shell set-up, which would charge every SSH command:\n  ${problems.join('\n  ')}`);
}

/** The final state of what the workload changes, read from a converged host's filesystem. */
function captureState(root) {
  const meta = (p) => {
    const st = statSync(join(root, p));
    return { path: p, mode: (st.mode & 0o7777).toString(8), uid: st.uid, gid: st.gid };
  };
  return { dirs: CHANGED_DIRS.map(meta), files: CHANGED_FILES.map((p) => ({ ...meta(p), base64: readFileSync(join(root, p)).toString('base64') })) };
}
function assertState(lab, state) {
  for (const h of lab.hosts) {
    const got = captureState(h.root);
    for (const kind of ['dirs', 'files']) {
      got[kind].forEach((g, i) => {
        if (JSON.stringify(g) !== JSON.stringify(state[kind][i])) throw new BenchAssertion(`write floor left ${h.name}:${g.path} different from shipshape's converged state`);
      });
    }
  }
}

const changedOf = (tool, out) => {
  if (tool === 'shipshape') return Object.values(JSON.parse(out).stats).reduce((n, s) => n + s.changed, 0);
  return [...out.matchAll(/changed=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
};

/** Every tool and floor at one size; the lab is this function's. */
async function measure(lab, n, warm) {
  await assertNoShellSetup(lab);
  await Promise.all(lab.hosts.map((h) => lab.exec(h.name, SAVE)));
  const reset = () => Promise.all(lab.hosts.map((h) => lab.exec(h.name, RESET)));
  const hostsFile = join(work, 'hosts.json');
  writeFileSync(hostsFile, JSON.stringify(lab.hosts.map((h) => ({ host: h.address, port: h.port, user: 'root', privateKeyPath: lab.keyPath }))));
  const withAnsible = n <= ANSIBLE_MAX;
  const tools = {
    ansible: () => timed('ansible-playbook', ['-i', lab.inventoryPath, 'bench/workload.yml', '--forks', String(Math.max(n, 5))], { ANSIBLE_CONFIG: join(repo, 'bench/ansible.cfg') }),
    shipshape: () => timed('node', ['packages/cli/dist/bundle/bin.js', 'run', 'bench/workload.ts', '-i', lab.inventoryPath, '--json']),
  };
  const names = withAnsible ? ['ansible', 'shipshape'] : ['shipshape'];
  // One untimed run first: caches a fresh build or a fresh lab would otherwise charge to the first sample
  // (shipshape's V8 code cache and compiled playbook, Ansible's module cache, the hosts' page cache).
  for (const tool of names.filter((t) => t === 'shipshape' || !warm.has(t))) {
    await reset();
    tools[tool]();
    warm.add(tool);
  }
  const state = captureState(lab.hosts[0].root);
  const stateFile = join(work, 'state.json');
  writeFileSync(stateFile, JSON.stringify(state));
  const s = Object.fromEntries(names.map((t) => [t, { first: [], second: [], rss: [] }]));
  const floors = { write: [], read: [], writeRss: [], readRss: [] };
  for (let rep = 0; rep < REPS; rep++) {
    for (const tool of rep % 2 === 0 ? names : [...names].reverse()) {
      await reset();
      const first = tools[tool]();
      const second = tools[tool]();
      const c1 = changedOf(tool, first.stdout), c2 = changedOf(tool, second.stdout);
      if (c1 === 0 || c2 !== 0) throw new BenchAssertion(`${tool}: expected changes on the first run and none on the second, got ${c1} and ${c2}`);
      s[tool].first.push(first.seconds);
      s[tool].second.push(second.seconds);
      s[tool].rss.push(Math.max(first.rssMb, second.rssMb));
      console.log(`${n} hosts, rep ${rep + 1} ${tool}: first ${first.seconds.toFixed(2)}s (${c1} changed), second ${second.seconds.toFixed(2)}s`);
    }
    await reset();
    const w = timed('node', ['bench/write-floor.mjs', hostsFile, stateFile]);
    assertState(lab, state);
    const r = timed('node', ['bench/floor.mjs', hostsFile]);
    floors.write.push(w.seconds), floors.writeRss.push(w.rssMb), floors.read.push(r.seconds), floors.readRss.push(r.rssMb);
    if (rep === 0) {
      const after = tools.shipshape();
      if (changedOf('shipshape', after.stdout) !== 0) throw new BenchAssertion(`shipshape found changes to make after the write floor: the floor does not write the workload's final state`);
    }
    console.log(`${n} hosts, rep ${rep + 1} floors: write ${w.seconds.toFixed(3)}s, read ${r.seconds.toFixed(3)}s`);
  }
  const summary = (x) => ({ first: median(x.first), second: median(x.second), rssMb: Math.max(...x.rss) });
  return {
    hosts: n, reps: REPS,
    shipshape: summary(s.shipshape), ansible: withAnsible ? summary(s.ansible) : undefined,
    writeFloor: { seconds: median(floors.write), rssMb: Math.max(...floors.writeRss) },
    readFloor: { seconds: median(floors.read), rssMb: Math.max(...floors.readRss) },
  };
}

function table(rows) {
  const width = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => `| ${r.map((c, i) => c.padEnd(width[i])).join(' | ')} |`).join('\n');
}
const x = (a, b) => `${(a / b).toFixed(a / b >= 10 ? 1 : 2)}x`;
function sizeTable(m) {
  const a = m.ansible, s = m.shipshape;
  return table([
    ['run', 'ansible s', 'shipshape s', 'ansible/shipshape', 'shipshape/floor'],
    ['first (all change)', a ? a.first.toFixed(2) : '-', s.first.toFixed(3), a ? x(a.first, s.first) : '-', `${x(s.first, m.writeFloor.seconds)} (write)`],
    ['second (converged)', a ? a.second.toFixed(2) : '-', s.second.toFixed(3), a ? x(a.second, s.second) : '-', `${x(s.second, m.readFloor.seconds)} (read)`],
    ['write floor (ssh2, 1 write)', '', m.writeFloor.seconds.toFixed(3), '', '1.00x'],
    ['read floor (ssh2, 1 read)', '', m.readFloor.seconds.toFixed(3), '', '1.00x'],
  ]);
}

const SERIES = [
  ['shipshape first', (m) => m.shipshape.first],
  ['shipshape converged', (m) => m.shipshape.second],
  ['write floor', (m) => m.writeFloor.seconds],
  ['read floor', (m) => m.readFloor.seconds],
  ['ansible first', (m) => m.ansible?.first],
  ['ansible converged', (m) => m.ansible?.second],
];
const RSS_SERIES = [['shipshape', (m) => m.shipshape.rssMb], ['ansible (largest process)', (m) => m.ansible?.rssMb]];
/** shipshape, the floors, Ansible; a tool's converged run dashed in its colour. */
const COLORS = ['#1f77b4', '#2ca02c', '#d62728'];
const pointsOf = (sizes, get) => sizes.map((m) => [m.hosts, get(m)]).filter(([, y]) => y !== undefined);

/** results.json and the chart drawn from it, in OUT. */
function writeResults(results) {
  const { date, machine, reps, ansibleMax, sizes, incomplete } = results;
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(OUT, 'results.svg'), chart({
    title: `shipshape bench, ${date} (${machine.cores} cores, load average ${machine.loadAtStart.toFixed(0)} at start, ${machine.loadAtEnd.toFixed(0)} at end)`,
    note: incomplete ? `INCOMPLETE: ${incomplete.error.split('\n')[0].slice(0, 140)}` : `${reps} repetition(s), medians; Ansible up to ${ansibleMax} hosts`,
    panels: [
      { title: 'wall time', xLabel: 'hosts', yLabel: 'seconds', log: true, series: SERIES.map(([name, f], i) => ({ name, color: COLORS[i >> 1], dashed: i % 2 === 1, points: pointsOf(sizes, f) })).filter((s) => s.points.length) },
      { title: 'controller peak RSS', xLabel: 'hosts', yLabel: 'MB', series: RSS_SERIES.map(([name, f], i) => ({ name, color: COLORS[i * 2], points: pointsOf(sizes, f) })).filter((s) => s.points.length) },
    ],
  }));
}

if (opt('chart')) {
  // Redraw the chart of an earlier run's results.json into --out.
  writeResults(JSON.parse(readFileSync(opt('chart'), 'utf8')));
  console.log(`bench: wrote ${join(OUT, 'results.json')} and ${join(OUT, 'results.svg')}`);
  process.exit(0);
}
ensurePackage('/usr/bin/ansible-playbook', 'ansible-core');
ensurePackage('/usr/bin/time', 'time');
const machine = {
  cores: cpus().length, cpu: cpus()[0]?.model ?? '', memGiB: Math.round(totalmem() / 2 ** 30), node: process.version,
  ansible: execFileSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).split('\n')[0], loadAtStart: loadavg()[0],
};
const sizes = [];
const warm = new Set();
let incomplete;
for (const n of SIZES) {
  console.log(`bench: starting ${n} lab hosts`);
  let lab;
  try {
    lab = await startLab({ id: LAB_ID, hosts: n });
  } catch (e) {
    incomplete = { hosts: n, error: `the lab could not start ${n} hosts on this machine: ${e.message}` };
    break;
  }
  try {
    sizes.push(await measure(lab, n, warm));
  } catch (e) {
    if (e instanceof BenchAssertion) throw e;
    incomplete = { hosts: n, error: `${n} hosts did not complete: ${e.message}` };
    break;
  } finally {
    await lab.stop();
  }
}
machine.loadAtEnd = loadavg()[0];
const fits = Object.fromEntries([...SERIES, ...RSS_SERIES.map(([k, f]) => [`${k} RSS MB`, f])].map(([k, f]) => [k, fit(pointsOf(sizes, f))]).filter(([, v]) => v));
const date = new Date().toISOString().slice(0, 10);
const header = `${date}: ${machine.cores} cores ${machine.cpu}, ${machine.memGiB} GiB, node ${machine.node}, ${machine.ansible}; load average ${machine.loadAtStart.toFixed(1)} at start, ${machine.loadAtEnd.toFixed(1)} at end; ${REPS} repetition(s), medians`;
console.log(header);
for (const m of sizes) {
  console.log(`\n${m.hosts} hosts:\n${sizeTable(m)}`);
  console.log(`controller peak RSS: shipshape ${m.shipshape.rssMb.toFixed(0)} MB${m.ansible ? `, ansible (largest process) ${m.ansible.rssMb.toFixed(0)} MB` : ''}`);
}
if (sizes.length > 1) {
  console.log(`\n${table([
    ['hosts', 'shipshape first s', 'converged s', 'write floor s', 'read floor s', 'first/write floor', 'converged/read floor', 'ansible first s', 'shipshape RSS MB', 'first s/host'],
    ...sizes.map((m) => [String(m.hosts), m.shipshape.first.toFixed(2), m.shipshape.second.toFixed(2), m.writeFloor.seconds.toFixed(2), m.readFloor.seconds.toFixed(2),
      x(m.shipshape.first, m.writeFloor.seconds), x(m.shipshape.second, m.readFloor.seconds), m.ansible ? m.ansible.first.toFixed(1) : '-', m.shipshape.rssMb.toFixed(0), (m.shipshape.first / m.hosts).toFixed(3)]),
  ])}`);
  console.log('\nleast squares fit, cost = intercept + slope x hosts:');
  for (const [k, f] of Object.entries(fits)) console.log(`  ${k}: ${f.slope.toFixed(4)} per host + ${f.intercept.toFixed(3)}`);
}
if (incomplete) console.error(`\nbench: INCOMPLETE: ${incomplete.error}\nbench: measured ${sizes.length ? `up to ${sizes.at(-1).hosts} hosts` : 'no size'}`);
writeResults({ date, machine, reps: REPS, ansibleMax: ANSIBLE_MAX, sizes, fits, incomplete });
console.log(`\nbench: wrote ${join(OUT, 'results.json')} and ${join(OUT, 'results.svg')}`);
if (incomplete || !sizes.length) process.exit(2);
