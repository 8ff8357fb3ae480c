import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli as shipshape } from '../support/cli.js';
import { useLab } from '../support/lab.js';

// These tests run the built binary, as users do (`npm test` builds first).
const PLAYBOOK = 'test/cli/fixtures/vault/site.ts';
/** A quote and a space: its sh-quoted and JSON forms differ from the value itself. */
const VALUE = "s3cr3t'V@lue 42";
const VAULTED = ['s3cr3t', 'V@lue'];
/** A noLog task's output, printed later by another task. */
const FRAGMENTS = [...VAULTED, 'nolog-output-7f3a'];

const lab = useLab({ id: 147, hosts: 1 });
let dir: string;
let inv: string;
let cache: string;

function cli(args: string[]) {
  const r = shipshape(args, { XDG_CACHE_HOME: cache });
  return { ...r, all: `${r.out}${r.err}` };
}

function filesBelow(d: string): string[] {
  return readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? filesBelow(join(d, n)) : [join(d, n)]));
}

const leaks = (text: string, fragments = FRAGMENTS) => fragments.filter((f) => text.includes(f));
const onHost = (p: string) => readFileSync(join(lab.hosts[0]!.root, p), 'utf8');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ss-vault-'));
  cache = join(dir, 'cache');
  inv = join(dir, 'inventory', 'hosts.ini');
  mkdirSync(join(dir, 'inventory', 'group_vars'), { recursive: true });
  writeFileSync(inv, readFileSync(lab.inventoryPath, 'utf8'));
  writeFileSync(join(dir, 'pw'), 'vault-pw\n');
  const vars = join(dir, 'inventory', 'group_vars', 'all.yml');
  writeFileSync(vars, `db_password: "${VALUE}"\n`);
  execFileSync('ansible-vault', ['encrypt', '--vault-password-file', join(dir, 'pw'), vars]);
});
describe('vaulted values', () => {
  it('land in plaintext on the host and in no output, diff, JSON document or cache', () => {
    const args = ['run', PLAYBOOK, '-i', inv, '--vault-password-file', join(dir, 'pw')];
    const first = cli([...args, '--diff', '-vvv']);
    expect(first.code).toBe(0);
    expect(onHost('root/app.conf')).toBe(`password=${VALUE}\n`);
    expect(onHost('root/app-t.conf')).toBe(`db=${VALUE}\n`);
    expect(onHost('root/argv.txt')).toBe(VALUE);
    expect(onHost('root/bare.conf')).toBe(VALUE);
    expect(onHost('root/bare-argv.txt')).toBe(VALUE);
    // The run did show what it did, masked.
    expect(first.out).toContain('+password=********');
    expect(first.out).toContain('message with ********');
    expect(first.out).toContain('bad password: ********');
    expect(first.out).toContain('registered: ********');
    expect(leaks(first.all)).toEqual([]);

    // A changed line's secret is masked in --json's diff too.
    writeFileSync(join(lab.hosts[0]!.root, 'root/app.conf'), 'password=old\n');
    const json = cli([...args, '--diff', '--json', '-vvv']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.out);
    expect(doc.results[0].diff[0].after).toBe('password=********\n');
    expect(leaks(json.all)).toEqual([]);

    const again = cli([...args, '--json']);
    // Converged: the copy and the template change nothing (the ignored failing command counts as changed, as in Ansible).
    const converged = JSON.parse(again.out);
    expect(converged.results.slice(0, 2).map((x: { status: string }) => x.status)).toEqual(['ok', 'ok']);
    expect(converged.stats[lab.hosts[0]!.name]).toMatchObject({ changed: 1, failed: 0, ignored: 1 });
    expect(leaks(again.all)).toEqual([]);

    const cached = filesBelow(cache);
    expect(cached.length).toBeGreaterThan(0);
    // The compiled playbook holds its source (the noLog task's command), never a vaulted value.
    for (const f of cached) expect([f, leaks(readFileSync(f).toString('latin1'), VAULTED)]).toEqual([f, []]);
  });
});
