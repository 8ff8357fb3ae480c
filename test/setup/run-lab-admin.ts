// Runs packages/testlab/src/admin-cli.ts under tsx: jest loads global setup files through
// require(), which cannot follow the ESM sources' `.js` import specifiers.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export function runLabAdmin(...args: string[]): void {
  const cli = path.join(__dirname, '../../packages/testlab/src/admin-cli.ts');
  const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  if (r.stderr) process.stderr.write(r.stderr);
  if (r.status !== 0) throw new Error(`testlab ${args[0]} failed: ${r.stderr.trim() || `exit ${r.status}`}`);
}
