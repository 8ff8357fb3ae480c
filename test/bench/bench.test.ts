import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';

// No timing assertions: this only proves the benchmark runs end to end and prints its table.
describe('npm run bench', () => {
  it('runs both tools on 2 lab hosts and prints the comparison table', () => {
    const r = spawnSync('node', ['bench/run.mjs', '--hosts', '2', '--reps', '1', '--lab-id', '80'], { encoding: 'utf8', timeout: 600_000 });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^\| run +\| ansible s +\| shipshape s +\| ansible\/shipshape +\| shipshape\/floor +\|$/m);
    expect(r.stdout).toMatch(/^\| first \(all change\) +\| [\d.]+ +\| [\d.]+ +\| [\d.]+x +\| [\d.]+x +\|$/m);
    expect(r.stdout).toMatch(/^\| second \(converged\) +\| [\d.]+ +\| [\d.]+ +\| [\d.]+x +\| [\d.]+x +\|$/m);
    expect(r.stdout).toMatch(/controller peak RSS: shipshape \d+ MB/);
  }, 600_000);
});
