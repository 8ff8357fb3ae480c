/** The built CLI as users run it (`npm test` builds first): its path and one way to run it. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const BIN = join(process.cwd(), 'packages/cli/dist/bundle/bin.js');
/** Playbooks and inventories of the CLI tests. */
export const FIX = 'test/cli/fixtures';

export interface CliRun {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** `shipshape ARGS…` with colours off and `env` added to this process's environment. */
export function cli(args: readonly string[], env: Readonly<Record<string, string>> = {}, cwd?: string): CliRun {
  const r = spawnSync('node', [BIN, ...args], { encoding: 'utf8', cwd, env: { ...process.env, NO_COLOR: '1', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
