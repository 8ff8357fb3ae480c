// The yaml package behind a module of ours, imported on demand: esbuild gives a dynamic import()
// of the CommonJS build only a default export, a static re-export keeps the named ones.
export { parse } from 'yaml';
