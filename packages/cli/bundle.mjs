// Bundle the CLI and the packages playbooks import (dist/bundle/):
// - shipshape.cjs: all of it, ssh2 included, as one CommonJS file (src/runtime.ts), which
//   src/cached.ts compiles with a V8 code cache: Node 20 caches no ES module compiles;
// - bin.js and runtime.js: the binary and that loader;
// - core.js, builtin.js, ...: ES module facades of the same runtime, which playbooks are compiled
//   against (src/load.ts), so a playbook and the CLI share one @shipshape/core.
import { createHash } from 'node:crypto';
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { packages as bundled } from './dist/packages.js';

// src/packages.ts lists the packages (tsc has built it by now; its imports are lazy).
export const BUNDLED_PACKAGES = Object.keys(bundled);
const root = fileURLToPath(new URL('..', import.meta.url));
const src = (name) => `${root}${name}/src/index.ts`;
const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const outdir = here('./dist/bundle');
const require = createRequire(import.meta.url);

// ssh2's native parts (its crypto binding, cpu-features) still load from the installed ssh2 package.
const ssh2Index = require.resolve('ssh2');
const ssh2Natives = {
  name: 'ssh2-natives',
  setup(b) {
    b.onLoad({ filter: /[\\/]ssh2[\\/]lib[\\/].*\.js$/ }, async (a) => ({
      loader: 'js',
      contents: (await readFile(a.path, 'utf8')).replace(/require\((['"])(\.[^'"]*\.node|cpu-features)\1\)/g, (_, q, spec) =>
        `__ssh2Require(${JSON.stringify(spec.startsWith('.') ? `./${relative(dirname(ssh2Index), resolve(dirname(a.path), spec))}` : spec)})`),
    }));
  },
};

const cjs = await build({
  entryPoints: [here('./src/runtime.ts')], outfile: `${outdir}/shipshape.cjs`, write: false,
  bundle: true, format: 'cjs', platform: 'node', target: 'node20', sourcemap: 'linked',
  // Left outside: esbuild and tsx (binaries, loaders), testlab (finds its shell scripts and profiles
  // beside itself; ES module, imported with import()), zx (local connections only; 870 KB).
  // bullmq and ioredis (queue mode only) load from node_modules when a queued run or a worker starts.
  external: ['esbuild', 'tsx', 'tsx/*', '@shipshape/testlab', 'zx', 'bullmq', 'ioredis'],
  alias: {
    ...Object.fromEntries(BUNDLED_PACKAGES.map((n) => [`@shipshape/${n}`, src(n)])),
    '@shipshape/core/module-kit': `${root}core/src/module-kit.ts`,
    '@shipshape/fleet': src('fleet'),
    // yargs's ES module build takes cliui's ES module build, whose stand-in for wrap-ansi cuts words
    // anywhere ("patte" / "rns"); its CommonJS build wraps with wrap-ansi, between words.
    cliui: createRequire(require.resolve('yargs')).resolve('cliui'),
  },
  plugins: [ssh2Natives],
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: {
    js: [
      "var __importMetaUrl = require('node:url').pathToFileURL(__filename).href;",
      "var __ssh2Require = require('node:module').createRequire(require.resolve('ssh2'));",
      "var __import = globalThis[Symbol.for('shipshape.import')];",
    ].join('\n'),
  },
  logLevel: 'warning',
});
// import() in a vm.Script that has a code cache finds no loader (Node 20): the bundle's dynamic
// imports (playbooks, esbuild, tsx, testlab) go through the runtime loader's import(), which
// resolves from the same directory.
// A clean directory: chunks of earlier builds must not linger.
await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
// The runtime is ASCII (esbuild escapes what code holds; comments it keeps are escaped here), so
// src/cached.ts reads it as latin1 without decoding, into V8's compact one-byte string.
const ascii = (text) => text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
let runtimeHash;
for (const f of cjs.outputFiles) {
  if (!f.path.endsWith('.cjs')) {
    await writeFile(f.path, f.contents);
    continue;
  }
  const text = ascii(f.text.replace(/(?<![\w$.])import\(/g, '__import('));
  // The code cache is keyed by this hash (src/cached.ts): computed here, not on every start.
  runtimeHash = createHash('sha256').update(text).digest('hex');
  await writeFile(f.path, text);
}

await build({
  entryPoints: { bin: here('./src/bundle-bin.ts'), runtime: here('./src/cached.ts') },
  outdir, bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning',
  define: { __SHIPSHAPE_RUNTIME_SHA256__: JSON.stringify(runtimeHash) },
});

// The facades export what the runtime's packages export, by name.
globalThis[Symbol.for('shipshape.import')] = (s) => import(s);
const { packages } = require(`${outdir}/shipshape.cjs`);
for (const name of BUNDLED_PACKAGES) {
  const pkg = await packages[name]();
  const names = Object.keys(pkg).filter((k) => k !== 'default');
  await writeFile(`${outdir}/${name}.js`, [
    `// @shipshape/${name} for playbooks: the CLI runtime's own instance (bundle.mjs).`,
    "import { runtime } from './runtime.js';",
    `const m = await runtime().packages.${name}();`,
    `export const { ${names.join(', ')} } = m;`,
    ...('default' in pkg ? ['export default m.default;'] : []),
    '',
  ].join('\n'));
}
// Core's module kit (defineModule, the plan helpers) for playbooks that define their own modules.
const kit = await require(`${outdir}/shipshape.cjs`).moduleKit();
await mkdir(`${outdir}/core`, { recursive: true });
await writeFile(`${outdir}/core/module-kit.js`, [
  '// @shipshape/core/module-kit for playbooks: the CLI runtime\'s own instance (bundle.mjs).',
  "import { runtime } from '../runtime.js';",
  'const m = await runtime().moduleKit();',
  `export const { ${Object.keys(kit).filter((k) => k !== 'default').join(', ')} } = m;`,
  '',
].join('\n'));
