import { posix } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SFTPWrapper, Stats } from 'ssh2';
import { sh, ShipshapeError, sshConnect, type SshConnection } from '@shipshape/core';
import { StorageError, storageOp, type StorageStage } from '../errors.js';
import { joinDest } from '../internal/paths.js';
import { hashSink } from '../internal/streams.js';
import type { DestinationClient, DestinationEntry, SftpDestination } from '../types.js';

const NO_SUCH_FILE = 2;
const missing = (e: unknown): boolean => (e as { code?: number }).code === NO_SUCH_FILE;

function promisify<T>(fn: (cb: (err: Error | null | undefined, v: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));
}

/** The SFTP subsystem of a core SSH connection (host keys verified by core). */
async function sftpOf(conn: SshConnection): Promise<SFTPWrapper> {
  const sftp = await conn.sftp();
  if (!sftp) throw new ShipshapeError('STORAGE', 'the server offers no SFTP subsystem');
  return sftp;
}

/** SFTP through ssh2: file operations over SFTP; checksums with sha256sum when the account may run it. */
export class SftpClient implements DestinationClient {
  readonly label: string;
  private constructor(
    private readonly conn: SshConnection,
    private readonly sftp: SFTPWrapper,
    private readonly base: string,
    spec: SftpDestination,
  ) {
    this.label = sftpLabel(spec);
  }

  static async open(spec: SftpDestination): Promise<SftpClient> {
    let conn: SshConnection | undefined;
    try {
      conn = await sshConnect(sftpLabel(spec), {
        type: 'ssh',
        host: spec.host,
        port: spec.port,
        user: spec.user,
        password: spec.password,
        privateKey: spec.privateKey,
        privateKeyPath: spec.privateKeyPath,
        knownHostsFile: spec.knownHostsFile,
        hostKeyPolicy: spec.hostKeyPolicy,
        agent: false,
      });
      const sftp = await sftpOf(conn);
      const base = spec.path.startsWith('/') ? spec.path : await promisify<string>((cb) => sftp.realpath(spec.path, cb));
      return new SftpClient(conn, sftp, posix.normalize(base), spec);
    } catch (e) {
      await conn?.close();
      throw new StorageError(sftpLabel(spec), 'connect', (e as Error).message, { cause: e });
    }
  }

  private op<T>(stage: StorageStage, path: string, fn: () => Promise<T>): Promise<T> {
    return storageOp(this.label, stage, path, fn);
  }

  private stat(abs: string): Promise<Stats | undefined> {
    return promisify<Stats>((cb) => this.sftp.lstat(abs, cb)).catch((e) => {
      if (missing(e)) return undefined;
      throw e;
    });
  }

  put(path: string, source: Readable): Promise<void> {
    return this.op('upload', path, () => pipeline(source, this.sftp.createWriteStream(joinDest(this.base, path))));
  }

  list(path = '.'): Promise<DestinationEntry[]> {
    return this.op('list', path, async () => {
      const abs = joinDest(this.base, path);
      const items = await promisify<{ filename: string; attrs: Stats }[]>((cb) => this.sftp.readdir(abs, cb)).catch((e) => {
        if (missing(e)) return [];
        throw e;
      });
      return items
        .filter((i) => i.filename !== '.' && i.filename !== '..')
        .map((i) => ({
          name: i.filename,
          type: i.attrs.isDirectory() ? 'dir' : i.attrs.isFile() ? 'file' : 'other',
          size: i.attrs.size,
        }));
    });
  }

  get(path: string, sink: Writable): Promise<void> {
    return this.op('download', path, () => pipeline(this.sftp.createReadStream(joinDest(this.base, path)), sink));
  }

  size(path: string): Promise<number | undefined> {
    return this.op('list', path, async () => {
      const st = await this.stat(joinDest(this.base, path));
      return st?.isFile() ? st.size : undefined;
    });
  }

  checksum(path: string): Promise<string> {
    const abs = joinDest(this.base, path);
    return this.op('verify', path, async () => {
      const r = await this.conn.exec(sh`sha256sum ${abs}`).catch(() => undefined);
      const sum = r?.code === 0 ? /^[0-9a-f]{64}/.exec(r.stdout)?.[0] : undefined;
      if (sum) return sum;
      const h = hashSink(); // an SFTP-only account: read the file back
      await pipeline(this.sftp.createReadStream(abs), h.sink);
      return h.digest();
    });
  }

  rename(from: string, to: string): Promise<void> {
    return this.op('rename', `${from} -> ${to}`, () =>
      promisify<void>((cb) => this.sftp.rename(joinDest(this.base, from), joinDest(this.base, to), cb)),
    );
  }

  delete(path: string, options: { recursive?: boolean } = {}): Promise<void> {
    return this.op('delete', path, () => this.remove(joinDest(this.base, path), options.recursive ?? false));
  }

  private async remove(abs: string, recursive: boolean): Promise<void> {
    const st = await this.stat(abs);
    if (!st) return;
    if (!st.isDirectory()) return promisify<void>((cb) => this.sftp.unlink(abs, cb));
    if (recursive) {
      const items = await promisify<{ filename: string }[]>((cb) => this.sftp.readdir(abs, cb));
      for (const i of items) if (i.filename !== '.' && i.filename !== '..') await this.remove(posix.join(abs, i.filename), true);
    }
    await promisify<void>((cb) => this.sftp.rmdir(abs, cb));
  }

  mkdir(path: string): Promise<void> {
    return this.op('mkdir', path, async () => {
      const abs = joinDest(this.base, path);
      const parts = abs.split('/').filter(Boolean);
      let cur = abs.startsWith('/') ? '' : '.';
      for (const p of parts) {
        cur = `${cur}/${p}`;
        const st = await this.stat(cur);
        if (st?.isDirectory()) continue;
        await promisify<void>((cb) => this.sftp.mkdir(cur, cb));
      }
    });
  }

  async close(): Promise<void> {
    await this.conn.close();
  }
}

export function sftpLabel(spec: SftpDestination): string {
  return `sftp://${spec.user}@${spec.host}:${spec.port ?? 22}${spec.path.startsWith('/') ? '' : '/'}${spec.path}`;
}
