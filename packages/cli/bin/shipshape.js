#!/usr/bin/env node
// The `shipshape` command. npm links a package's bin at install time, before any build, so the
// bin is this committed file; it loads the bundled CLI that `npm run build` makes (dist/bundle/).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/bundle/bin.js', import.meta.url);
if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  process.stderr.write(`shipshape: the CLI is not built (${bundle.pathname} is missing): run \`npm run build\` in the shipshape repository\n`);
  process.exitCode = 1;
}
