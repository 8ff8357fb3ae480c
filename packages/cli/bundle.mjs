// Bundle the CLI and the packages playbooks import into a few ESM chunks (dist/bundle/): one module
// graph that loads much faster than hundreds of files. Playbooks are compiled against these same chunks
// (src/load.ts), so a playbook and the CLI share one @shipshape/core.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUNDLED_PACKAGES = ['core', 'builtin', 'inventory', 'esxi', 'openvz', 'xen', 'proxmox', 'storage'];
const root = fileURLToPath(new URL('..', import.meta.url));
const src = (name) => `${root}${name}/src/index.ts`;
const outdir = fileURLToPath(new URL('./dist/bundle', import.meta.url));

// ssh2 as one CommonJS file that src/ssh2-cached.ts compiles with a V8 code cache. Its native parts
// (the crypto binding, cpu-features) still load from the installed ssh2 package, as before.
const ssh2Index = createRequire(import.meta.url).resolve('ssh2');
await build({
  entryPoints: [ssh2Index], outfile: `${outdir}/ssh2.cjs`, bundle: true, format: 'cjs', platform: 'node', target: 'node20',
  banner: { js: "const __ssh2Require = require('node:module').createRequire(require.resolve('ssh2'));" },
  plugins: [{
    name: 'ssh2-natives',
    setup(b) {
      b.onLoad({ filter: /[\\/]ssh2[\\/]lib[\\/].*\.js$/ }, async (a) => ({
        loader: 'js',
        contents: (await readFile(a.path, 'utf8')).replace(/require\((['"])(\.[^'"]*\.node|cpu-features)\1\)/g, (_, q, spec) =>
          `__ssh2Require(${JSON.stringify(spec.startsWith('.') ? `./${relative(dirname(ssh2Index), resolve(dirname(a.path), spec))}` : spec)})`),
      }));
    },
  }],
  logLevel: 'warning',
});

await build({
  entryPoints: { bin: fileURLToPath(new URL('./src/bin.ts', import.meta.url)), ...Object.fromEntries(BUNDLED_PACKAGES.map((n) => [n, src(n)])) },
  outdir,
  bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20', sourcemap: 'linked',
  // Left outside: esbuild and tsx (binaries, loaders), testlab (finds its shell scripts and profiles
  // beside itself). ssh2 is dist/bundle/ssh2.cjs, loaded by src/ssh2-cached.ts.
  external: ['esbuild', 'tsx', 'tsx/*', '@shipshape/testlab', 'cpu-features', '*.node'],
  alias: { ...Object.fromEntries(BUNDLED_PACKAGES.map((n) => [`@shipshape/${n}`, src(n)])), ssh2: fileURLToPath(new URL('./src/ssh2-cached.ts', import.meta.url)) },
  // CommonJS dependencies inside an ESM bundle need require.
  banner: { js: "import { createRequire as __ssRequire } from 'node:module'; const require = __ssRequire(import.meta.url);" },
  logLevel: 'warning',
});
