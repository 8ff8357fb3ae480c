/**
 * Parity with Debian's ansible-core: every folder under fixtures/ is an inventory plus a
 * case.json; ansible-inventory --list / --host and `ansible all --list-hosts -l PATTERN` run on
 * it (concurrently, once) and shipshape must produce the same data.
 *
 * case.json: sources, ansibleSources? (what ansible reads, when ours is a TS inventory),
 * playbookDir?, extraVars?, vault? (password file), hosts? (for --host), patterns? ([limit]),
 * secrets? (host → var → plaintext expected behind a Secret), maskedVars? (whole-file vault
 * values: printed decrypted by ansible, masked by shipshape).
 */
import { describe, it, expect, beforeAll } from '@jest/globals';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Secret } from '@shipshape/core';
import { loadInventory, renderGraph, renderList, renderHost, type Inventory } from '@shipshape/inventory';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

interface Case {
  sources: string[];
  ansibleSources?: string[];
  playbookDir?: string;
  extraVars?: Record<string, unknown>;
  vault?: string;
  hosts?: string[];
  patterns?: [string][];
  secrets?: Record<string, Record<string, string>>;
  maskedVars?: string[];
}

interface Run {
  rc: number;
  stdout: string;
  stderr: string;
}

const BATCH = join(dirname(fileURLToPath(import.meta.url)), 'support', 'ansible-batch.py');

// One Python process per fixture runs all its ansible commands (see support/ansible-batch.py);
// fixtures run concurrently, bounded by the CPU count.
let active = 0;
const queue: (() => void)[] = [];
async function ansibleBatch(commands: string[][], cwd: string): Promise<Run[]> {
  if (active >= Math.max(2, cpus().length)) await new Promise<void>((r) => queue.push(r));
  active++;
  try {
    return await new Promise<Run[]>((resolve, reject) => {
      const env = { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: '0' };
      const child = execFile('/usr/bin/python3', [BATCH], { cwd, env, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`ansible batch failed in ${cwd}: ${stderr}`));
        else resolve(JSON.parse(stdout) as Run[]);
      });
      child.stdin!.end(JSON.stringify(commands));
    });
  } finally {
    active--;
    queue.shift()?.();
  }
}

function ok(run: Run, what: string): Run {
  if (run.rc !== 0) throw new Error(`${what} failed (rc ${run.rc}): ${run.stderr}`);
  return run;
}

function ansibleArgs(c: Case): string[] {
  const args = (c.ansibleSources ?? c.sources).flatMap((s) => ['-i', s]);
  if (c.playbookDir) args.push('--playbook-dir', c.playbookDir);
  if (c.extraVars) args.push('-e', JSON.stringify(c.extraVars));
  if (c.vault) args.push('--vault-password-file', c.vault);
  return args;
}

function listHostsOutput(text: string): string[] {
  return text
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter(Boolean);
}

function maskVars(data: unknown, names: readonly string[]): unknown {
  const mask = (v: unknown): unknown =>
    typeof v === 'string' ? '********' : Array.isArray(v) ? v.map(mask) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mask(x)])) : v;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, names.includes(k) ? mask(x) : walk(x)]));
    return v;
  };
  return walk(data);
}

const cases = readdirSync(FIXTURES).sort().map((name) => ({
  name,
  dir: join(FIXTURES, name),
  c: JSON.parse(readFileSync(join(FIXTURES, name, 'case.json'), 'utf8')) as Case,
}));

interface Expected {
  list: unknown;
  graph: string;
  hosts: Record<string, unknown>;
  patterns: { limit: string; hosts: string[]; stderr: string }[];
}
const expected = new Map<string, Expected>();
const ours = new Map<string, Inventory>();
const failures = new Map<string, unknown>();

beforeAll(async () => {
  await Promise.all(
    cases.map(async ({ name, dir, c }) => {
     try {
      const args = ansibleArgs(c);
      const hostNames = c.hosts ?? [];
      const limits = (c.patterns ?? []).map(([limit]) => limit);
      const commands = [
        ['ansible-inventory', ...args, '--list'],
        ['ansible-inventory', ...args, '--graph'],
        ...hostNames.map((h) => ['ansible-inventory', ...args, '--host', h]),
        ...limits.map((l) => ['ansible', 'all', ...args, '--list-hosts', '-l', l]),
      ];
      const [runs, inv] = await Promise.all([
        ansibleBatch(commands, dir),
        loadInventory(c.sources.map((s) => join(dir, s)), {
          playbookDir: c.playbookDir && join(dir, c.playbookDir),
          extraVars: c.extraVars,
          vaultPasswordFile: c.vault && join(dir, c.vault),
          sshConfigPath: false,
        }),
      ]);
      const list = ok(runs[0]!, 'ansible-inventory --list');
      const hosts = hostNames.map((h, i) => ok(runs[2 + i]!, `ansible-inventory --host ${h}`));
      const patterns = limits.map((l, i) => {
        const r = runs[2 + hostNames.length + i]!;
        // ansible exits 1 when the limit leaves no host: that is an empty selection, not an error
        return r.rc !== 0 && r.stderr.includes('leaves us with no hosts') ? { ...r, stdout: '' } : ok(r, `ansible -l ${l}`);
      });
      expected.set(name, {
        list: JSON.parse(list.stdout),
        graph: ok(runs[1]!, 'ansible-inventory --graph').stdout.trimEnd(),
        hosts: Object.fromEntries((c.hosts ?? []).map((h, i) => [h, JSON.parse(hosts[i]!.stdout)])),
        patterns: (c.patterns ?? []).map(([limit], i) => ({ limit, hosts: listHostsOutput(patterns[i]!.stdout), stderr: patterns[i]!.stderr })),
      });
      ours.set(name, inv);
     } catch (e) {
      failures.set(name, e);
     }
    }),
  );
}, 300_000);

describe.each(cases)('parity with ansible-core: $name', ({ name, c }) => {
  it('loads in ansible and in shipshape', () => {
    expect(failures.get(name)).toBeUndefined();
  });

  it('--list matches ansible-inventory --list', () => {
    const want = maskVars(expected.get(name)!.list, c.maskedVars ?? []);
    expect(JSON.parse(renderList(ours.get(name)!))).toEqual(want);
  });

  it('--graph matches ansible-inventory --graph', () => {
    expect(renderGraph(ours.get(name)!)).toBe(expected.get(name)!.graph);
  });

  it('--host matches ansible-inventory --host', () => {
    for (const [host, vars] of Object.entries(expected.get(name)!.hosts)) {
      expect([host, JSON.parse(renderHost(ours.get(name)!, host))]).toEqual([host, maskVars(vars, c.maskedVars ?? [])]);
    }
  });

  it('patterns select the hosts `ansible all --list-hosts -l` selects', () => {
    for (const p of expected.get(name)!.patterns) {
      const { hosts, warnings } = ours.get(name)!.selectWithWarnings('all', p.limit);
      // Sorted: ansible orders hosts of nested groups by iterating a Python set of group objects
      // (identity hashes), so that order is not stable from run to run.
      expect([p.limit, hosts.map((h) => h.name).sort()]).toEqual([p.limit, [...p.hosts].sort()]);
      const unmatched = [...p.stderr.matchAll(/Could not match supplied host pattern, ignoring: (\S+)/g)].map((m) => m[1]);
      for (const u of unmatched) expect(warnings).toContain(`Could not match supplied host pattern, ignoring: ${u}`);
    }
  });

  it('vault values are secrets and never printed', () => {
    const inv = ours.get(name)!;
    const printed = renderList(inv) + inv.hosts.map((h) => renderHost(inv, h.name)).join('');
    for (const [host, vars] of Object.entries(c.secrets ?? {})) {
      for (const [key, plain] of Object.entries(vars)) {
        const v = inv.hostVars(host)[key];
        expect(v).toBeInstanceOf(Secret);
        expect((v as Secret).value).toBe(plain);
        expect(printed).not.toContain(plain);
      }
    }
  });
});
