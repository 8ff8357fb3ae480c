import { readFileSync } from 'node:fs';
import { configFileLabel, loadAnsibleConfig } from './config.js';

/** The CLI package's version: package.json is one level up from src/ and dist/, two from dist/bundle/. */
function cliVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@shipshape/cli' && pkg.version) return pkg.version;
    } catch {
      // not there: try the next place
    }
  }
  return 'unknown';
}

/** What `--version` prints, laid out like `ansible --version`. */
export function versionText(): string {
  return [
    `shipshape ${cliVersion()}`,
    `  config file = ${configFileLabel(loadAnsibleConfig())}`,
    `  executable location = ${process.argv[1] ?? 'unknown'}`,
    `  node version = ${process.version} (${process.execPath})`,
  ].join('\n');
}
