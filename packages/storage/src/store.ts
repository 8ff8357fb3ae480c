import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { withDestination } from './destination.js';
import { checkFileName } from './internal/paths.js';
import { selectRetention, type RetentionDecision, type RetentionPolicy } from './retention/retention.js';
import { fromStream, type Source } from './source.js';
import { uploadFile, type UploadOptions, type UploadResult } from './transfer.js';
import type { Destination, DestinationClient } from './types.js';

/**
 * Store one file in a destination directory: upload as `<name>.part`, verify, then rename to
 * `<name>` (replacing an older file of that name). A failed upload leaves no `<name>`.
 * `source` may be a plain readable stream.
 * @example await store(nasSpec, 'configBundle-esx1-2024_01_31-02_00_00.tgz', fromHostFile(h, '/tmp/bundle.tgz'));
 */
export async function store(
  dest: Destination | DestinationClient,
  name: string,
  input: Source | Readable,
  opts: UploadOptions = {},
): Promise<UploadResult> {
  checkFileName(name);
  const source = input instanceof Readable ? fromStream(input) : input;
  return withDestination(dest, async (c) => {
    const part = `${name}.part`;
    await c.mkdir('.');
    try {
      const r = await uploadFile(c, source, part, opts);
      await c.delete(name);
      await c.rename(part, name);
      return { ...r, path: name };
    } catch (e) {
      await c.delete(part).catch(() => undefined);
      throw e;
    }
  });
}

export interface PruneOptions {
  /** Sub-directory of the destination. @default '.' */
  readonly dir?: string;
  /** Only files whose names match are considered (others are never touched). */
  readonly match?: RegExp;
  /** Decide only; delete nothing. */
  readonly dryRun?: boolean;
}

/**
 * Apply keep-last/hourly/daily/weekly/monthly/yearly retention to a flat directory of
 * timestamped files (Proxmox prune-backups semantics) and delete what it does not keep.
 * @example await prune(nasSpec, { keepLast: 3, keepDaily: 7, keepWeekly: 4 }, { match: /^configBundle-/ });
 */
export async function prune(dest: Destination | DestinationClient, policy: RetentionPolicy, opts: PruneOptions = {}): Promise<RetentionDecision> {
  return withDestination(dest, async (c) => {
    const dir = opts.dir ?? '.';
    const names = (await c.list(dir)).filter((e) => e.type === 'file' && (!opts.match || opts.match.test(e.name))).map((e) => e.name);
    const decision = selectRetention(names, policy);
    if (!opts.dryRun) for (const n of decision.remove) await c.delete(posix.join(dir, n));
    return decision;
  });
}
