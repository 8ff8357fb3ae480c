import { ArgumentError } from '@shipshape/core';
import { openDestination } from '../destination.js';
import { StorageError } from '../errors.js';
import { checkFileName } from '../internal/paths.js';
import type { Source } from '../source.js';
import { uploadFile, type UploadOptions, type UploadResult } from '../transfer.js';
import type { Destination, DestinationClient } from '../types.js';
import { generations, planRotation, rotationNames, staleEntries, type RotationOp } from './plan.js';

export interface GenerationOptions extends UploadOptions {
  /** Where the generations live (a spec is opened and closed by the rotation; a client is borrowed). */
  readonly dest: Destination | DestinationClient;
  /** Number of generations kept, `name.0` … `name.(keep-1)`. */
  readonly keep: number;
  /** @default 'daily' */
  readonly name?: string;
}

export interface RotationResult {
  /** The new generation's directory (`daily.0`). */
  readonly generation: string;
  readonly files: readonly UploadResult[];
  /** Renames and deletes done, in order. */
  readonly ops: readonly RotationOp[];
  /** Generations present after the rotation, ascending (`daily.0`, `daily.1`, …). */
  readonly generations: readonly string[];
  /** Stale leftovers of an interrupted run that were cleared first. */
  readonly cleared: readonly string[];
}

/**
 * One N-generation rotation in progress: files go into `<name>.staging` and are verified as
 * they arrive; `commit()` rotates. Until `commit()` no existing generation is touched, so a
 * failed upload or verification leaves all of them as they were.
 * @example
 * const g = await Generation.begin({ dest: nas, keep: 10, name: 'daily' });
 * try { await g.add('db.tar.gz', fromHostFile(h, '/var/backups/db.tar.gz')); await g.commit(); }
 * catch (e) { await g.abort(); throw e; }
 */
export class Generation {
  private readonly files: UploadResult[] = [];
  private done = false;

  private constructor(
    readonly client: DestinationClient,
    private readonly owned: boolean,
    readonly name: string,
    readonly keep: number,
    private readonly upload: UploadOptions,
    readonly cleared: readonly string[],
  ) {}

  static async begin(opts: GenerationOptions): Promise<Generation> {
    const name = checkFileName(opts.name ?? 'daily', 'name');
    if (!Number.isInteger(opts.keep) || opts.keep < 1) {
      throw new ArgumentError(`rotate: keep must be a positive integer, got ${JSON.stringify(opts.keep)}`, 'keep', opts.keep);
    }
    const owned = 'type' in opts.dest;
    const client = 'type' in opts.dest ? await openDestination(opts.dest) : opts.dest;
    try {
      await client.mkdir('.');
      const stale = staleEntries((await client.list()).map((e) => e.name), name);
      for (const s of stale) await client.delete(s, { recursive: true });
      await client.mkdir(rotationNames(name).staging);
      const { dest: _d, keep: _k, name: _n, ...upload } = opts;
      return new Generation(client, owned, name, opts.keep, upload, stale);
    } catch (e) {
      if (owned) await client.close();
      throw e;
    }
  }

  /** Upload one file into staging and verify it. */
  async add(fileName: string, source: Source, opts: UploadOptions = {}): Promise<UploadResult> {
    if (this.done) throw new StorageError(this.client.label, 'upload', 'this generation is already committed or aborted');
    checkFileName(fileName, 'file name');
    const r = await uploadFile(this.client, source, `${rotationNames(this.name).staging}/${fileName}`, { ...this.upload, ...opts });
    this.files.push(r);
    return r;
  }

  /** Rotate: expire the oldest, shift the rest, promote staging to `<name>.0`. */
  async commit(): Promise<RotationResult> {
    if (this.done) throw new StorageError(this.client.label, 'rotate', 'this generation is already committed or aborted');
    const n = rotationNames(this.name);
    if (this.files.length === 0) throw new StorageError(this.client.label, 'rotate', `nothing was staged in ${n.staging}; no generation rotated`);
    // Re-check staging as a whole before touching anything.
    const staged = new Map((await this.client.list(n.staging)).map((e) => [e.name, e.size]));
    for (const f of this.files) {
      const base = f.path.slice(n.staging.length + 1);
      if (staged.get(base) !== f.bytes) {
        throw new StorageError(this.client.label, 'verify', `${f.path} changed after upload (${staged.get(base) ?? 'missing'} bytes, expected ${f.bytes})`);
      }
    }
    const ops = planRotation((await this.client.list()).map((e) => e.name), { name: this.name, keep: this.keep });
    this.done = true;
    let step = 0;
    try {
      for (const op of ops) {
        if (op.op === 'rename') await this.client.rename(op.from, op.to);
        else await this.client.delete(op.path, { recursive: true });
        step++;
      }
      const after = generations((await this.client.list()).map((e) => e.name), this.name).map(n.generation);
      return { generation: n.generation(0), files: [...this.files], ops, generations: after, cleared: this.cleared };
    } catch (e) {
      const msg = `rotation stopped after ${step} of ${ops.length} steps (no kept generation was deleted; the next run clears leftovers): ${(e as Error).message}`;
      throw new StorageError(this.client.label, 'rotate', msg, { cause: e });
    } finally {
      if (this.owned) await this.client.close();
    }
  }

  /** Give up: try to remove staging (best effort, the server may be gone) and close. Never throws. */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.client.delete(rotationNames(this.name).staging, { recursive: true }).catch(() => undefined);
    if (this.owned) await this.client.close().catch(() => undefined);
  }
}

/**
 * Upload files as a new generation and rotate `name.0` … `name.(keep-1)`: stage, verify, then
 * shift by renames. If any upload or verification fails nothing is rotated and the error is
 * rethrown; a rerun clears the stale staging directory first.
 * @example
 * await rotate({ dest: { type: 'ftp', host: 'nas', user: 'backup', password: secret(pw), path: '/vz' },
 *   keep: 10, name: 'daily', files: [{ name: 'etc.tar.gz', source: fromLocalFile('/tmp/etc.tar.gz') }] });
 */
export async function rotate(
  opts: GenerationOptions & {
    readonly files?: readonly { readonly name: string; readonly source: Source }[];
    /** Fill the generation yourself (e.g. produce each file just before its upload). */
    readonly fill?: (g: Generation) => Promise<void>;
  },
): Promise<RotationResult> {
  const { files = [], fill, ...rest } = opts;
  const g = await Generation.begin(rest);
  try {
    for (const f of files) await g.add(f.name, f.source);
    if (fill) await fill(g);
    return await g.commit();
  } catch (e) {
    await g.abort();
    throw e;
  }
}
