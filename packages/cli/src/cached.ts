/**
 * The CLI bundle's loader (dist/bundle/runtime.js): dist/bundle/shipshape.cjs, the CLI with
 * everything it and playbooks import, compiled with a V8 code cache kept in ~/.cache/shipshape/v8/.
 * Node 20 has no compile cache of its own (22 has), and none at all for ES modules: compiling the
 * bundle's ESM chunks and ssh2's ~40 files was ~70 ms of every run's start-up.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

/** The runtime's SHA-256, which bundle.mjs computes and defines in this loader's build. */
declare const __SHIPSHAPE_RUNTIME_SHA256__: string | undefined;

/**
 * Compile and run a CommonJS file with a code cache; returns its exports. `sha256`: the file's hash,
 * known when it was built, which also says it is ASCII (read undecoded; hashing 2.8 MB on every start
 * cost ~10 ms, decoding it as UTF-8 ~15 ms more). `variant`: what this process will do (the CLI's
 * command), which has a cache of its own: a cache holds what the run that wrote it compiled, and the
 * functions of `--version` would leave a `run` compiling most of its own.
 */
export function requireCached(file: string, sha256?: string, variant = ''): unknown {
  const source = readFileSync(file, sha256 ? 'latin1' : 'utf8');
  // V8 rejects a cache made with other flags, and checks only the length of the source: the key
  // holds the content, and the options (one cache per set: runs with other flags do not thrash it).
  // A file changed after its build (same length, other bytes) must not meet its old cache: with a
  // known hash the key also holds the file's size and modification time.
  const options = `${process.execArgv.join(' ')}\0${process.env.NODE_OPTIONS ?? ''}`;
  const content = sha256 ? `${sha256}\0${statSync(file).mtimeMs}\0${source.length}` : source;
  const key = createHash('sha256').update(`${process.version}\0${process.arch}\0${options}\0${variant}\0${file}\0${content}`).digest('hex').slice(0, 32);
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
        // Private: code this user's runs execute.
        mkdirSync(dirname(cacheFile), { recursive: true, mode: 0o700 });
        writeFileSync(`${cacheFile}.${process.pid}`, script.createCachedData(), { mode: 0o600 });
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
  const sha256 = typeof __SHIPSHAPE_RUNTIME_SHA256__ === 'string' ? __SHIPSHAPE_RUNTIME_SHA256__ : undefined;
  // The command: the first word that is no option (none for `--version`, `--help`).
  const command = process.argv.slice(2).find((a) => !a.startsWith('-')) ?? '';
  loaded ??= requireCached(fileURLToPath(new URL('./shipshape.cjs', import.meta.url)), sha256, command) as Runtime;
  return loaded;
}
