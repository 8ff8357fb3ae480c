import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { LabError } from '../errors.js';
import { isAlive, runProgram, waitUntil } from './proc.js';

function readOr(file: string, read: (f: string) => string): string {
  try {
    return read(file);
  } catch {
    return '';
  }
}

/**
 * Processes that belong to a lab (or one host) directory `dir`: any process whose root is
 * inside it (supervisors, sshd, sessions, nsenter'd commands), the `unshare` launchers and the
 * BMCs' `ipmi_sim` whose command line names it. Found by scanning /proc, so it works from any process.
 */
export function processesOf(dir: string): number[] {
  const real = readOr(dir, realpathSync) || dir; // /proc/<pid>/root shows resolved paths
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const root = readOr(`/proc/${pid}/root`, readlinkSync);
    const argv = readOr(`/proc/${pid}/cmdline`, (f) => readFileSync(f, 'utf8')).split('\0');
    // Launchers: the hosts' `unshare` and their BMCs' `ipmi_sim` (which run outside the hosts).
    const launcher = (argv[0]?.endsWith('unshare') || argv[0]?.endsWith('ipmi_sim')) && argv.some((a) => a === dir || a.startsWith(`${dir}/`));
    if (root.startsWith(`${real}/`) || launcher) pids.push(pid);
  }
  return pids;
}

/** SIGKILL the processes and wait until every one of them is gone (or a zombie). */
export async function killAll(pids: readonly number[], what: string): Promise<void> {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await waitUntil(() => pids.every((p) => !isAlive(p)), `processes of ${what} to exit`, {
    detail: () => `still alive: ${pids.filter(isAlive).join(' ')}`,
  });
}

/** Mount points at or below `dir` in this (the machine's) mount namespace, deepest first. */
export function mountsUnder(dir: string): string[] {
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => unescape(line.split(' ')[1] ?? ''))
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

/** Unmount everything below `dir` (lazily when busy); throws if anything stays mounted. */
export async function unmountAll(dir: string): Promise<void> {
  for (const m of mountsUnder(dir)) {
    const r = await runProgram('umount', [m]);
    if (r.code !== 0) await runProgram('umount', ['-l', m]);
  }
  const left = mountsUnder(dir);
  if (left.length) throw new LabError(`cannot unmount ${left.join(', ')}`);
}
