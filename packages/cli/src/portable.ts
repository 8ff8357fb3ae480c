/**
 * Playbooks for queue mode: compiled on the controller into one self-contained ES module (its
 * relative imports and npm packages included, @shipshape/* left to each worker's own), shipped with
 * its `files/` and `templates/`, and loaded on a worker from a directory named by its content.
 */
import { lstat, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PlaybookError, type PlaybookDef } from '@shipshape/core';
import type { PlaybookBundle } from '@shipshape/fleet';
import { BUNDLE_DIR, BUNDLED, describeLoadError } from './load.js';

const SHIPPED_DIRS = ['files', 'templates'];

/** The files under `dir` (links to files read as what they point at, as a local run reads them). */
async function collect(root: string, dir: string, out: PlaybookBundle['files'] & Record<string, unknown>): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  for (const e of entries) {
    const path = join(dir, e.name);
    const st = e.isSymbolicLink() ? await stat(path) : await lstat(path);
    if (st.isDirectory()) {
      if (e.isSymbolicLink()) throw new PlaybookError(`${path}: a link to a directory; queue mode ships the files of files/ and templates/, not links to directories`, path);
      await collect(root, path, out);
    } else if (st.isFile()) {
      out[relative(root, path).split(sep).join('/')] = { mode: st.mode & 0o7777, data: (await readFile(path)).toString('base64') };
    }
  }
}

/** Compile the playbook at `file` for workers, with the files beside it that it ships. */
export async function bundlePlaybook(file: string): Promise<PlaybookBundle> {
  const esbuild = await import('esbuild');
  let code: string;
  try {
    const out = await esbuild.build({
      entryPoints: [file], absWorkingDir: dirname(file), bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20', logLevel: 'silent',
      plugins: [{ name: 'shipshape-external', setup: (b) => void b.onResolve({ filter: /^@shipshape\// }, (a) => ({ path: a.path, external: true })) }],
    });
    code = out.outputFiles[0]!.text;
  } catch (e) {
    throw new PlaybookError(describeLoadError(e, file), file, { cause: e });
  }
  const files: Record<string, { mode: number; data: string }> = {};
  for (const d of SHIPPED_DIRS) await collect(dirname(file), join(dirname(file), d), files);
  return { code, name: basename(file), files };
}

/** Where this process's @shipshape/* modules are: the bundle's chunks, or the installed packages. */
function ownModule(spec: string): string {
  if (BUNDLE_DIR && BUNDLED.test(spec)) return new URL(`./${spec.slice('@shipshape/'.length)}.js`, BUNDLE_DIR).href;
  // Unbundled: the installed package's build, found from here.
  return pathToFileURL(join(dirname(createRequire(import.meta.url).resolve(`${spec}/package.json`)), 'dist', 'index.js')).href;
}

/**
 * A shipped playbook as a module of this process, in `~/.cache/shipshape/fleet/<sha>/` (its files
 * beside it: copy and template find them as in a local run).
 */
export async function loadBundle(bundle: PlaybookBundle, sha: string): Promise<{ playbook: PlaybookDef; dir: string }> {
  const base = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'shipshape', 'fleet');
  const dir = join(base, sha);
  const entry = join(dir, '.playbook.mjs');
  if (!(await stat(entry).catch(() => undefined))) {
    await mkdir(base, { recursive: true, mode: 0o700 });
    const tmp = await mkdtemp(join(base, `.${sha.slice(0, 12)}-`));
    for (const [path, f] of Object.entries(bundle.files)) {
      // Paths come from Redis: only plain relative ones below files/ and templates/.
      const parts = path.split('/');
      if (!SHIPPED_DIRS.includes(parts[0]!) || parts.some((p) => p === '' || p === '.' || p === '..')) throw new PlaybookError(`shipped playbook ${sha}: bad file path ${JSON.stringify(path)}`);
      await mkdir(join(tmp, dirname(path)), { recursive: true });
      await writeFile(join(tmp, path), Buffer.from(f.data, 'base64'), { mode: f.mode & 0o777 });
    }
    const esbuild = await import('esbuild');
    const out = await esbuild.build({
      stdin: { contents: bundle.code, loader: 'js', resolveDir: tmp, sourcefile: bundle.name }, bundle: true, write: false, format: 'esm', platform: 'node', target: 'node20', logLevel: 'silent',
      plugins: [{ name: 'shipshape-own', setup: (b) => void b.onResolve({ filter: /^@shipshape\// }, (a) => ({ path: ownModule(a.path), external: true })) }],
    });
    await writeFile(join(tmp, '.playbook.mjs'), out.outputFiles[0]!.text, { mode: 0o600 });
    // Another worker process may have written the same content meanwhile: either copy is right.
    await rename(tmp, dir).catch(async () => rm(tmp, { recursive: true, force: true }));
  }
  const mod = (await import(pathToFileURL(entry).href)) as { default?: { default?: unknown; kind?: string } };
  const pb = (mod.default?.kind === 'playbook' ? mod.default : mod.default?.default) as PlaybookDef | undefined;
  if (!pb || pb.kind !== 'playbook') throw new PlaybookError(`shipped playbook ${bundle.name} (${sha}): the default export is not a playbook`);
  return { playbook: pb, dir };
}
