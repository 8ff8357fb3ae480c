import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { PassThrough, type Readable } from 'node:stream';
import { sh, ShipshapeError, type Connection } from '@shipshape/core';
import { StorageError, VerifyError } from './errors.js';
import { isSourceSideCapable, type SourceSideCommand } from './internal/source-side.js';
import { Meter } from './internal/streams.js';
import type { Source } from './source.js';
import type { DestinationClient } from './types.js';

export interface UploadOptions {
  /**
   * `auto`: from the source host when it can (lftp/curl for FTP, cp for a directory on the same
   * host), else through the controller. `controller` always streams through the controller.
   * @default 'auto'
   */
  readonly via?: 'auto' | 'source' | 'controller';
  /** `checksum` compares SHA-256 too (read back where the server cannot hash). @default 'checksum' */
  readonly verify?: 'size' | 'checksum';
  /** Bytes so far, for controller-streamed uploads; awaited before each chunk goes on. */
  readonly onProgress?: (bytes: number) => void | Promise<void>;
}

export interface UploadResult {
  /** Destination-relative path. */
  readonly path: string;
  readonly bytes: number;
  readonly sha256?: string;
  readonly via: 'source' | 'controller';
  /** The tool that ran on the source host (`lftp`, `curl`, `cp`). */
  readonly tool?: string;
  readonly verified: 'size' | 'checksum';
}

const TOOLS = ['lftp', 'curl'] as const;

async function hostTools(conn: Connection): Promise<Set<string>> {
  const r = await conn.exec(sh`for c in ${[...TOOLS]}; do command -v "$c" >/dev/null 2>&1 && echo "$c"; done; true`);
  return new Set(r.stdout.split('\n').filter(Boolean));
}

/** Size and (optionally) SHA-256 of a file on a host, with POSIX/busybox tools. */
async function hostFileFacts(conn: Connection, path: string, hash: boolean): Promise<{ size: number; sha256?: string }> {
  const r = await conn.exec(
    hash ? sh`ls -lnd ${path} | awk '{print $5}' && sha256sum ${path}` : sh`ls -lnd ${path} | awk '{print $5}'`,
  );
  const [size, sum] = r.stdout.trim().split('\n');
  if (r.code !== 0 || !size || !/^\d+$/.test(size)) {
    throw new ShipshapeError('STORAGE', `cannot read ${path} on ${conn.name}: ${r.stderr.trim() || `exit ${r.code}`}`);
  }
  return { size: Number(size), sha256: sum?.split(/\s+/)[0] };
}

async function sourceSide(client: DestinationClient, source: Source, path: string, opts: UploadOptions): Promise<SourceSideCommand | undefined> {
  if (source.kind !== 'host-file' || opts.via === 'controller' || !isSourceSideCapable(client)) return undefined;
  const cmd = client.sourceSideCommand(source.connection, await hostTools(source.connection), source.path, path);
  return cmd;
}

/** Stream the source through the controller into the destination, metering bytes and SHA-256. */
async function viaController(client: DestinationClient, source: Source, path: string, opts: UploadOptions) {
  const meter = new Meter(opts.onProgress);
  let expected: number | undefined;
  let reading: Promise<void> = Promise.resolve();
  let input: Readable;
  if (source.kind === 'host-file') {
    expected = (await hostFileFacts(source.connection, source.path, false)).size;
    const pass = new PassThrough();
    reading = source.connection.download(source.path, pass).catch((e: Error) => {
      throw new ShipshapeError('STORAGE', `reading ${source.path} on ${source.connection.name}: ${e.message}`, { cause: e });
    });
    reading.catch((e: Error) => pass.destroy(e));
    input = pass;
  } else if (source.kind === 'local-file') {
    expected = (await stat(source.path)).size;
    input = createReadStream(source.path);
  } else {
    expected = source.size;
    input = await source.open();
  }
  input.on('error', (e) => meter.destroy(e));
  meter.on('error', (e) => input.destroy(e)); // a dead upload must not leave the reader paused forever
  const writing = client.put(path, input.pipe(meter));
  const [r, w] = await Promise.allSettled([reading, writing]);
  if (r.status === 'rejected') throw new StorageError(client.label, 'upload', `${path}: ${(r.reason as Error).message}`, { cause: r.reason });
  if (w.status === 'rejected') throw w.reason;
  if (expected !== undefined && meter.bytes !== expected) {
    throw new StorageError(client.label, 'upload', `${path}: read ${meter.bytes} bytes from the source, expected ${expected}`);
  }
  return { bytes: meter.bytes, sha256: meter.digest() };
}

/**
 * Upload one file and verify it: the destination's size must equal the bytes sent and, with
 * `verify: 'checksum'`, its SHA-256 must equal the source's. Never holds the file in memory.
 */
export async function uploadFile(client: DestinationClient, source: Source, path: string, opts: UploadOptions = {}): Promise<UploadResult> {
  try {
    return await upload(client, source, path, opts);
  } catch (e) {
    if (e instanceof StorageError) throw e;
    throw new StorageError(client.label, 'upload', `${path}: ${(e as Error).message}`, { cause: e });
  }
}

async function upload(client: DestinationClient, source: Source, path: string, opts: UploadOptions): Promise<UploadResult> {
  const verify = opts.verify ?? 'checksum';
  const side = await sourceSide(client, source, path, opts);
  if (opts.via === 'source' && !side) {
    throw new StorageError(client.label, 'upload', `${path}: the source cannot upload by itself (no lftp/curl, or not a host file)`);
  }
  let sent: { bytes: number; sha256?: string };
  if (side && source.kind === 'host-file') {
    const facts = await hostFileFacts(source.connection, source.path, verify === 'checksum');
    const r = await source.connection.exec(side.command, { env: side.env, stdin: side.stdin });
    if (r.code !== 0) {
      throw new StorageError(client.label, 'upload', `${path}: ${side.tool} on ${source.connection.name} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim()}`);
    }
    sent = { bytes: facts.size, sha256: facts.sha256 };
  } else {
    sent = await viaController(client, source, path, opts);
  }
  const size = await client.size(path);
  if (size !== sent.bytes) throw new VerifyError(client.label, path, `${sent.bytes} bytes`, size === undefined ? 'no file' : `${size} bytes`);
  if (verify === 'checksum') {
    const sum = await client.checksum(path);
    if (sum !== sent.sha256) throw new VerifyError(client.label, path, `sha256 ${sent.sha256}`, `sha256 ${sum}`);
  }
  return { path, bytes: sent.bytes, sha256: sent.sha256, via: side ? 'source' : 'controller', tool: side?.tool, verified: verify };
}
