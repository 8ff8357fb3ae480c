/**
 * The CLI bundle's loader (dist/bundle/runtime.js): dist/bundle/shipshape.cjs, the CLI with
 * everything it and playbooks import, compiled with a V8 code cache kept in ~/.cache/shipshape/v8/.
 * Node 20 has no compile cache of its own (22 has), and none at all for ES modules: compiling the
 * bundle's ESM chunks and ssh2's ~40 files was ~70 ms of every run's start-up.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

/** Compile and run a CommonJS file with a code cache; returns its exports. */
export function requireCached(file: string): unknown {
  const source = readFileSync(file, 'utf8');
  // V8 rejects a cache made with other flags, and checks only the length of the source: the key
  // holds the content, and the options (one cache per set: runs with other flags do not thrash it).
  const options = `${process.execArgv.join(' ')}\0${process.env.NODE_OPTIONS ?? ''}`;
  const key = createHash('sha256').update(`${process.version}\0${process.arch}\0${options}\0${file}\0${source}`).digest('hex').slice(0, 32);
  const cacheFile = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'shipshape', 'v8', `${key}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // first run of this file with this Node: compile, then save the cache at exit
  }
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    // At exit, so the cache also holds the functions the run compiled (handshakes, tasks, reporters).
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
  (script.runInThisContext() as (...a: unknown[]) => void).call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

/** What shipshape.cjs exports (src/runtime.ts). */
export type Runtime = typeof import('./runtime.js');

let loaded: Runtime | undefined;
/** The one runtime of this process, for the binary and for the package facades playbooks import. */
export function runtime(): Runtime {
  // The bundle's import() calls (bundle.mjs): from here, beside shipshape.cjs, they resolve alike.
  (globalThis as Record<symbol, unknown>)[Symbol.for('shipshape.import')] ??= (specifier: string) => import(specifier);
  loaded ??= requireCached(fileURLToPath(new URL('./shipshape.cjs', import.meta.url))) as Runtime;
  return loaded;
}
