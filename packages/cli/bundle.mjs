// Bundle the CLI and the packages playbooks import into a few ESM chunks (dist/bundle/): one module
// graph that loads much faster than hundreds of files. Playbooks are compiled against these same chunks
// (src/load.ts), so a playbook and the CLI share one @shipshape/core.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const BUNDLED_PACKAGES = ['core', 'builtin', 'inventory', 'esxi', 'openvz', 'xen', 'proxmox', 'storage'];
const root = fileURLToPath(new URL('..', import.meta.url));
const src = (name) => `${root}${name}/src/index.ts`;
await build({
  entryPoints: { bin: fileURLToPath(new URL('./src/bin.ts', import.meta.url)), ...Object.fromEntries(BUNDLED_PACKAGES.map((n) => [n, src(n)])) },
  outdir: fileURLToPath(new URL('./dist/bundle', import.meta.url)),
  bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20', sourcemap: 'linked',
  // Left outside: esbuild and tsx (binaries, loaders), testlab (finds its shell scripts and profiles
  // beside itself), ssh2 (CommonJS that locates its optional native parts by __dirname).
  external: ['esbuild', 'tsx', 'tsx/*', '@shipshape/testlab', 'ssh2', 'cpu-features', '*.node'],
  alias: Object.fromEntries(BUNDLED_PACKAGES.map((n) => [`@shipshape/${n}`, src(n)])),
  // CommonJS dependencies inside an ESM bundle need require.
  banner: { js: "import { createRequire as __ssRequire } from 'node:module'; const require = __ssRequire(import.meta.url);" },
  logLevel: 'warning',
});
