import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LabError } from '../errors.js';
import { LAB_CACHE } from './paths.js';
import { runProgram } from './proc.js';

/**
 * Run every profile layer's `prepare.sh` once, on the machine (not in a host), before the hosts are made:
 * it builds what its hosts need under `LAB_CACHE_DIR` (shared by all labs, kept between them) and prints
 * what setup.sh should know (e.g. the built directory). Returns that output per layer directory.
 */
export async function prepareLayers(layers: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const dir of new Set(layers)) {
    const script = path.join(dir, 'prepare.sh');
    if (!existsSync(script)) continue;
    const r = await runProgram('/bin/bash', [script], {
      env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', LANG: 'C.UTF-8', LAB_CACHE_DIR: LAB_CACHE, LAB_PROFILE_DIR: dir },
    });
    if (r.code !== 0) throw new LabError(`profile ${path.basename(dir)}: ${script} failed (exit ${r.code}):\n${r.stderr.trim()}`);
    out.set(dir, r.stdout);
  }
  return out;
}

/** Give a host each layer's prepare output as `/run/lab/state/<profile>.prepared`. */
export async function writePrepared(stateDir: string, layers: readonly string[], prepared: Map<string, string>): Promise<void> {
  for (const dir of layers) {
    const text = prepared.get(dir);
    if (text !== undefined) await writeFile(path.join(stateDir, `${path.basename(dir)}.prepared`), text);
  }
}
