import { PassThrough } from 'node:stream';
import { sh, type Connection, type Host } from '@shipshape/core';
import { connectionOf } from './backends/local.js';
import { StorageError } from './errors.js';
import { Meter } from './internal/streams.js';
import type { DestinationClient } from './types.js';

export interface DownloadResult {
  /** Absolute path on the host. */
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * Copy a file of a destination onto a host, streamed through the controller: written to
 * `<target>.part` (mode 0600), its size checked against the destination's, then renamed to
 * `target`. Nothing is left at `target` when anything fails.
 * @example await downloadToHost(nas, 'daily.0/vzdump-openvz-101-2026_01_01-02_00_00.tar.gz', h, '/var/lib/vz/dump/restore.tar.gz')
 */
export async function downloadToHost(client: DestinationClient, path: string, on: Host | Connection, target: string): Promise<DownloadResult> {
  const conn = connectionOf(on);
  const size = await client.size(path);
  if (size === undefined) throw new StorageError(client.label, 'download', `${path}: no such file`);
  const part = `${target}.part`;
  const meter = new Meter();
  const pass = new PassThrough();
  try {
    const uploading = conn.upload(meter.pipe(pass), part, { mode: 0o600 });
    try {
      await client.get(path, meter);
      if (!meter.writableEnded) meter.end(); // not every client ends the sink
    } catch (e) {
      pass.destroy(e as Error); // the upload must not wait for bytes that never come
      await uploading.catch(() => undefined);
      throw e;
    }
    await uploading;
    const r = await conn.exec(sh`n=$(ls -lnd ${part} | awk '{print $5}') && [ "$n" = ${String(size)} ] && mv -f ${part} ${target}`);
    if (r.code !== 0) throw new StorageError(client.label, 'download', `${path}: ${part} on ${conn.name} does not have the ${size} bytes of the source`);
  } catch (e) {
    await conn.exec(sh`rm -f ${part}`).catch(() => undefined);
    if (e instanceof StorageError) throw e;
    throw new StorageError(client.label, 'download', `${path} → ${conn.name}:${target}: ${(e as Error).message}`, { cause: e });
  }
  return { path: target, bytes: meter.bytes, sha256: meter.digest() };
}
