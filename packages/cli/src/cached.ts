/**
 * ssh2 for the CLI bundle (bundle.mjs aliases `ssh2` to this module): the whole package as one
 * CommonJS file, dist/bundle/ssh2.cjs, compiled with a V8 code cache kept in
 * ~/.cache/shipshape/v8/. Loading ssh2's ~40 files took ~38 ms of every run's start-up; one file
 * with a warm cache ~20 ms. Node 20 has no module compile cache of its own (22 has).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

// Beside the chunk this module is bundled into.
const FILE = fileURLToPath(new URL('./ssh2.cjs', import.meta.url));

function load(): unknown {
  const source = readFileSync(FILE, 'utf8');
  // V8 checks its version and flags, and only the length of the source: the key holds its content.
  const key = createHash('sha256').update(`${process.version}\0${process.arch}\0${source}`).digest('hex').slice(0, 32);
  const cacheFile = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'shipshape', 'v8', `ssh2-${key}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // first run with this ssh2 and Node: compile, then save the cache at exit
  }
  const script = new Script(Module.wrap(source), { filename: FILE, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    // At exit, so the cache also holds the functions the run compiled (handshake, channels).
    process.once('exit', () => {
      try {
        mkdirSync(dirname(cacheFile), { recursive: true });
        writeFileSync(`${cacheFile}.${process.pid}`, script.createCachedData());
        renameSync(`${cacheFile}.${process.pid}`, cacheFile);
      } catch {
        // best effort: an unwritable cache only costs the next run its compile
      }
    });
  }
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...a: unknown[]) => void).call(module.exports, module.exports, createRequire(FILE), module, FILE, dirname(FILE));
  return module.exports;
}

export default load();
