import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

// The README's main job, `npm run demo` as written (test/readme delegates it here): every playbook in
// playbooks/ against the lab's own inventory (its group_vars and vault, no -e), twice; the second run
// must change nothing.
describe('npm run demo', () => {
  it('converges every example playbook and changes nothing on the second run', () => {
    const r = spawnSync('npm', ['run', 'demo'], { encoding: 'utf8', timeout: 900_000, env: { ...process.env, NO_COLOR: '1' } });
    const playbooks = readdirSync('playbooks').filter((f) => f.endsWith('.ts'));
    expect(r.stdout).not.toMatch(/demo problem/);
    expect(r.status).toBe(0);
    for (const f of playbooks) {
      expect(r.stdout).toContain(`===== ${f}: run 1 of 2`);
      expect(r.stdout).toContain(`===== ${f}: run 2 of 2`);
    }
    expect(r.stdout).toMatch(/demo ok: \d+ playbooks converged/);
  }, 900_000);
});
