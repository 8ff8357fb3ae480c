// Lab housekeeping as a command, for callers that cannot import TypeScript sources directly
// (jest globalSetup/globalTeardown run through `node --import tsx`):
//   admin-cli.ts setup              root check, sshd present, stale labs removed
//   admin-cli.ts teardown <pid>...  also remove labs owned by these pids
//   admin-cli.ts stop <id>          stopLab(id)
import { cleanStaleLabs, ensureSshd, requireRoot, stopLab } from './admin.js';
import { LabError } from './errors.js';

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (command === 'setup') {
    requireRoot('the integration tests (they start @shipshape/testlab hosts)');
    await ensureSshd();
    const removed = await cleanStaleLabs();
    if (removed.length) process.stderr.write(`testlab: removed stale labs ${removed.join(', ')}\n`);
  } else if (command === 'teardown') {
    const removed = await cleanStaleLabs(args.map(Number));
    if (removed.length) process.stderr.write(`testlab: stopped labs left running: ${removed.join(', ')}\n`);
  } else if (command === 'stop' && args.length === 1) {
    await stopLab(Number(args[0]));
  } else {
    throw new LabError(`usage: admin-cli.ts setup | teardown <pid>... | stop <id> (got ${argv.join(' ')})`);
  }
}

main(process.argv.slice(2)).catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
