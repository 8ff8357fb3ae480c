import { posix } from 'node:path';
import { sh, type Host } from '@shipshape/core';
import { VzdumpError } from '../errors.js';
import { parseVzdumpOutput } from './output.js';
import { vzdumpCommand, vzdumpDialectFact, type DumpOptions, type VzdumpDialect } from './dialect.js';

/** What one vzdump run produced on the host. */
export interface DumpedArchive {
  readonly id: number;
  /** Absolute paths on the host. */
  readonly archive: string;
  readonly log?: string;
  readonly bytes: number;
  readonly mode?: string;
}

/**
 * Dump one container with vzdump, parse the archive and log names it printed, and check the
 * files are there, in the host's dialect (`vzdump --help`, read once per host). Success is what
 * vzdump printed, not its exit code alone (vzdump 1.x exits 0 when a guest failed). Throws
 * VzdumpError with vzdump's own error line on failure.
 * @example const d = await dumpContainer(h, 101, { dumpdir: '/var/lib/vz/dump', mode: 'snapshot', compress: 'zstd' });
 */
export async function dumpContainer(host: Host, id: number, opts: DumpOptions, dialect?: VzdumpDialect): Promise<DumpedArchive> {
  const d = dialect ?? (await host.fact(vzdumpDialectFact, undefined));
  const r = await host.run(vzdumpCommand(id, opts, d), { allowFail: true });
  const output = `${r.stderr}\n${r.stdout}`;
  const report = parseVzdumpOutput(output);
  const b = report.backups.find((x) => x.id === id);
  if (r.code !== 0 || !report.ok || !b?.ok || !b.archive) {
    const why = b?.error ?? report.errors[0] ?? output.trim().split('\n').slice(-2).join(' | ') ?? `exit ${r.code}`;
    throw new VzdumpError(host.name, id, `${why} (exit ${r.code})`, output);
  }
  const files = b.log ? [b.archive, b.log] : [b.archive];
  const st = await host.run(sh`for f in ${files}; do if [ -f "$f" ]; then ls -lnd "$f" | awk '{print $5}'; else echo missing; fi; done`);
  const [size, logState] = st.stdout.trim().split('\n');
  if (!size || size === 'missing') throw new VzdumpError(host.name, id, `vzdump reported ${b.archive} but it does not exist`, output);
  if (!posix.isAbsolute(b.archive)) throw new VzdumpError(host.name, id, `unexpected archive path ${b.archive}`, output);
  return { id, archive: b.archive, log: b.log && logState !== 'missing' ? b.log : undefined, bytes: Number(size), mode: b.mode };
}
