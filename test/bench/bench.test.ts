import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// No timing assertions: this only proves the benchmark runs end to end, both floors included, and writes
// its table, results JSON and chart.
describe('npm run bench', () => {
  it('runs both tools and both floors on 2 lab hosts and writes the table, results.json and results.svg', () => {
    const out = mkdtempSync(join(tmpdir(), 'ss-bench-test-'));
    const r = spawnSync('node', ['bench/run.mjs', '--scale', '2', '--reps', '1', '--lab-id', '80', '--out', out], { encoding: 'utf8', timeout: 600_000 });
    expect(r.stderr).not.toMatch(/Error|INCOMPLETE/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\| run +\| ansible s +\| shipshape s +\| ansible\/shipshape +\| shipshape\/floor +\|$/m);
    expect(r.stdout).toMatch(/^\| first \(all change\) +\| [\d.]+ +\| [\d.]+ +\| [\d.]+x +\| [\d.]+x \(write\) +\|$/m);
    expect(r.stdout).toMatch(/^\| second \(converged\) +\| [\d.]+ +\| [\d.]+ +\| [\d.]+x +\| [\d.]+x \(read\) +\|$/m);
    expect(r.stdout).toMatch(/^\| write floor \(ssh2, 1 write\) +\| +\| [\d.]+ +\| +\| 1\.00x +\|$/m);
    expect(r.stdout).toMatch(/^\| read floor \(ssh2, 1 read\) +\| +\| [\d.]+ +\| +\| 1\.00x +\|$/m);
    expect(r.stdout).toMatch(/controller peak RSS: shipshape \d+ MB/);

    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(results.sizes).toHaveLength(1);
    expect(results.sizes[0]).toMatchObject({ hosts: 2, writeFloor: { seconds: expect.any(Number) }, readFloor: { seconds: expect.any(Number) }, ansible: { first: expect.any(Number) } });
    expect(results.incomplete).toBeUndefined();

    // A real XML parser reads the chart back: each panel's series, each with one point per size.
    const parse = spawnSync('python3', ['-c', `
import json, sys, xml.etree.ElementTree as E
svg = E.parse(sys.argv[1]).getroot()
ns = '{http://www.w3.org/2000/svg}'
print(json.dumps({p.get('data-panel'): {s.get('data-series'): len(s.findall(ns + 'circle')) for s in p.iter(ns + 'g') if s.get('data-series')} for p in svg.iter(ns + 'g') if p.get('data-panel')}))
`, join(out, 'results.svg')], { encoding: 'utf8' });
    expect(parse.stderr).toBe('');
    expect(JSON.parse(parse.stdout)).toEqual({
      'wall time': { 'shipshape first': 1, 'shipshape converged': 1, 'write floor': 1, 'read floor': 1, 'ansible first': 1, 'ansible converged': 1 },
      'controller peak RSS': { shipshape: 1, 'ansible (largest process)': 1 },
    });
  }, 600_000);
});
