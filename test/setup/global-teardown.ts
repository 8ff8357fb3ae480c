// jest globalTeardown: stop labs this jest run left running (owned by jest or its workers).
import { readdirSync, readFileSync } from 'node:fs';
// jest loads global setup through require(), which needs the extension-less path.
// @ts-expect-error TS2835 (NodeNext wants './run-lab-admin.js', which require() cannot find)
import { runLabAdmin } from './run-lab-admin';

/** This process and its children (jest workers), read from /proc. */
function ownPids(): string[] {
  const children = readdirSync('/proc').filter((e) => /^\d+$/.test(e)).filter((e) => {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid;
    } catch {
      return false;
    }
  });
  return [String(process.pid), ...children];
}

export default async function globalTeardown(): Promise<void> {
  runLabAdmin('teardown', ...ownPids());
}
