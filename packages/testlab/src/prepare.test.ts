import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareLayers, writePrepared } from './internal/prepare.js';

const profile = (script: string) => {
  const d = mkdtempSync(join(tmpdir(), 'ss-prepare-'));
  writeFileSync(join(d, 'prepare.sh'), script);
  return d;
};

describe('profile prepare.sh', () => {
  it('runs once per layer with LAB_CACHE_DIR and hands its output to the hosts', async () => {
    const p = profile('echo "$LAB_CACHE_DIR/x"\n');
    const out = await prepareLayers([p, p]);
    expect([...out.values()]).toEqual(['/var/tmp/shipshape-lab-cache/x\n']);
    const state = mkdtempSync(join(tmpdir(), 'ss-state-'));
    await writePrepared(state, [p], out);
    expect(readFileSync(join(state, `${p.split('/').pop()}.prepared`), 'utf8')).toBe('/var/tmp/shipshape-lab-cache/x\n');
  });

  it('a failing prepare.sh is a LabError naming the script, its exit code and stderr', async () => {
    const p = profile('echo "debootstrap failed: no network" >&2; exit 3\n');
    await expect(prepareLayers([p])).rejects.toThrow(`${join(p, 'prepare.sh')} failed (exit 3):\ndebootstrap failed: no network`);
    await expect(prepareLayers([p])).rejects.toMatchObject({ name: 'LabError', code: 'LAB' });
  });
});
