import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ArgumentError, PlaybookError, type PlaybookDef, type Vars } from '@shipshape/core';
import { shlexSplit } from '@shipshape/core/module-kit';
import { packages } from './packages.js';
import { mapStack } from './stack.js';

let registered = false;
/** Process-wide tsx hooks: playbooks share the CLI's module instances (one @shipshape/core). */
async function registerOnce(): Promise<void> {
  if (!registered) (await import('tsx/esm/api')).register();
  registered = true;
}

/** Relative imports (`./lib.js`, `../shared`) need a loader that resolves TypeScript siblings. */
const RELATIVE_IMPORT = /(?:from\s*|import\s*\(\s*|import\s+)['"]\.\.?\//;

/**
 * Compile a self-contained playbook with esbuild (types stripped, no type check) into a temporary
 * module beside it, so bare imports resolve exactly as from the playbook, and import that.
 * Start-up matters: this costs ~50 ms where tsx's loader hooks cost ~300 ms.
 */
async function importCompiled(path: string, source: string): Promise<{ default?: unknown }> {
  const temp = join(dirname(path), `.${basename(path)}.shipshape-${process.pid}-${Date.now()}.mjs`);
  const code = await compiled(path, source);
  await writeFile(temp, code, { mode: 0o600 });
  try {
    return (await import(pathToFileURL(temp).href)) as { default?: unknown };
  } catch (e) {
    throw mapStack(e, temp, code);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** When this code runs from the CLI bundle (dist/bundle/), playbooks must import the bundle's own chunks. */
export const BUNDLE_DIR = import.meta.url.includes('/dist/bundle/') ? new URL('.', import.meta.url) : undefined;
/** The specifiers the bundle serves: `@shipshape/<package>` from `./<package>.js`, and core's module kit from `./core/module-kit.js`. */
export const BUNDLED = new RegExp(`^@shipshape/(${[...Object.keys(packages), 'core/module-kit'].join('|')})$`);

/** Compile a playbook: types stripped; under the bundle, @shipshape/* imports point at its chunks. */
async function compile(path: string, source: string): Promise<string> {
  const esbuild = await import('esbuild');
  if (!BUNDLE_DIR) {
    return (await esbuild.transform(source, { loader: 'ts', format: 'esm', target: 'node20', sourcemap: 'inline', sourcefile: path })).code;
  }
  const bundleDir = BUNDLE_DIR;
  const out = await esbuild.build({
    // Source paths in the map are relative to the playbook's directory, where the compiled module runs.
    entryPoints: [path], absWorkingDir: dirname(path), bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20', sourcemap: 'inline', logLevel: 'silent',
    plugins: [{
      name: 'shipshape-bundle',
      setup(b) {
        b.onResolve({ filter: BUNDLED }, (a) => ({ path: new URL(`./${a.path.slice('@shipshape/'.length)}.js`, bundleDir).href, external: true }));
        // Other packages resolve at run time from beside the playbook; its own relative imports are bundled.
        b.onResolve({ filter: /^[^./]/ }, (a) => (a.kind === 'entry-point' ? undefined : { path: a.path, external: true }));
      },
    }],
  });
  return out.outputFiles[0]!.text;
}

/**
 * Compiled playbooks, cached by content: an unchanged playbook does not even start esbuild. Playbooks
 * with relative imports are compiled every time (their siblings are part of the output).
 */
async function compiled(path: string, source: string): Promise<string> {
  if (RELATIVE_IMPORT.test(source)) return compile(path, source);
  const dir = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'shipshape', 'compiled');
  const key = createHash('sha256').update(`v3\0${BUNDLE_DIR?.href ?? ''}\0${path}\0${source}`).digest('hex');
  const file = join(dir, `${key}.mjs`);
  try {
    return await readFile(file, 'utf8');
  } catch {
    const code = await compile(path, source);
    // Best effort: an unwritable cache only costs the next run a compile. Private: playbooks may hold
    // values their owner alone may read.
    await mkdir(dir, { recursive: true, mode: 0o700 }).then(() => writeFile(`${file}.${process.pid}`, code, { mode: 0o600 })).then(() => rename(`${file}.${process.pid}`, file)).catch(() => undefined);
    return code;
  }
}

/**
 * Load a TypeScript playbook without a build step and without type checking (editors and
 * `npm run typecheck` do that): esbuild for a self-contained playbook, tsx's loader for one that
 * imports sibling TypeScript files. Both need no tsconfig, where ts-node type-checks every run.
 */
export async function loadPlaybook(file: string): Promise<PlaybookDef> {
  const path = isAbsolute(file) ? file : resolvePath(file);
  const pb = await loadDefaultExport(path);
  if (!pb || (pb as PlaybookDef).kind !== 'playbook') {
    throw new PlaybookError(`${path}: the default export is not a playbook (export default playbook({...}))`, path);
  }
  return pb as PlaybookDef;
}

/** The default export of a TypeScript file (a playbook, a rescue policy), loaded as playbooks are. */
export async function loadDefaultExport(path: string): Promise<unknown> {
  let mod: { default?: unknown };
  try {
    const source = await readFile(path, 'utf8');
    if (RELATIVE_IMPORT.test(source) && !BUNDLE_DIR) {
      // tsx's compiled modules carry inline source maps; Node applies them to stack traces.
      process.setSourceMapsEnabled(true);
      await registerOnce();
      mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
    } else {
      mod = await importCompiled(path, source);
    }
  } catch (e) {
    throw new PlaybookError(`${describeLoadError(e, path)}`, path, { cause: e });
  }
  return (mod.default as { default?: unknown } | undefined)?.default ?? mod.default;
}

/** file:line:column and the message, from esbuild syntax errors or a stack frame in the playbook. */
export function describeLoadError(e: unknown, path: string): string {
  const err = e as Error & { errors?: { text: string; location?: { file: string; line: number; column: number; lineText?: string } }[] };
  // esbuild's message: "Transform failed with 1 error:\n/path/file.ts:6:9: ERROR: Expected ..."
  const located = /^(\/[^\n]*?\.[cm]?tsx?):(\d+):(\d+): ERROR: (.*)$/m.exec(err.message ?? '');
  if (located) return `${located[1]}:${located[2]}:${Number(located[3]) + 1}: ${located[4]}`;
  const first = err.errors?.[0];
  if (first?.location) {
    const l = first.location;
    return `${path}:${l.line}:${l.column + 1}: ${first.text}${l.lineText ? `\n    ${l.lineText}` : ''}`;
  }
  const frame = err.stack?.split('\n').find((l) => l.includes(path));
  const m = frame && /:(\d+):(\d+)\)?$/.exec(frame);
  const msg = err.message?.split('\n')[0] ?? String(e);
  return m ? `${path}:${m[1]}:${m[2]}: ${msg}` : `${path}: ${msg}`;
}

/** Ansible-style extra vars: `k=v k2=v2`, `@file.json|yaml`, or a JSON/YAML object. Later wins. */
export async function parseExtraVars(list: readonly string[]): Promise<Vars> {
  const out: Vars = {};
  const bad = (item: string, why: string) =>
    new ArgumentError(`-e ${JSON.stringify(item)}: ${why} (give key=value pairs, @file.yaml|json, or a JSON/YAML mapping)`, 'extra-vars', item);
  // The yaml package loads only for -e @file or -e '{...}' (start-up time).
  const mapping = async (text: string, item: string): Promise<Vars> => {
    const v = await (await import('./yaml.js')).parse(text);
    if (v === null || v === undefined) return {};
    if (typeof v !== 'object' || Array.isArray(v)) throw bad(item, `not a mapping but ${Array.isArray(v) ? 'a list' : typeof v}`);
    return v as Vars;
  };
  for (const item of list) {
    if (item.startsWith('@')) {
      const file = item.slice(1);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (e) {
        throw new PlaybookError(`-e ${item}: cannot read ${file}: ${(e as Error).message}`, file);
      }
      Object.assign(out, await mapping(text, item));
    } else if (/^\s*[{[]/.test(item)) {
      Object.assign(out, await mapping(item, item));
    } else {
      let words: string[];
      try {
        words = shlexSplit(item);
      } catch (e) {
        throw bad(item, (e as Error).message);
      }
      for (const w of words) {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(w);
        if (!m) throw bad(item, `${JSON.stringify(w)} is not key=value`);
        out[m[1]!] = m[2]!;
      }
    }
  }
  return out;
}
