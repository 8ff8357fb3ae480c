import { posix } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { Client, FTPError, type AccessOptions, type FileInfo } from 'basic-ftp';
import { Secret } from '@shipshape/core';
import { StorageError, storageOp, type StorageStage } from '../errors.js';
import { joinDest } from '../internal/paths.js';
import { hashSink } from '../internal/streams.js';
import { ftpSourceCommand, type SourceSideCommand } from '../internal/source-side.js';
import type { Connection } from '@shipshape/core';
import type { DestinationClient, DestinationEntry, FtpDestination } from '../types.js';

export const ftpPassword = (spec: FtpDestination): string =>
  spec.password instanceof Secret ? spec.password.value : spec.password;

export function ftpLabel(spec: FtpDestination): string {
  return `${spec.type}://${spec.user}@${spec.host}:${spec.port ?? 21}${spec.path.startsWith('/') ? '' : '/'}${spec.path}`;
}

async function login(spec: FtpDestination): Promise<Client> {
  const client = new Client(spec.timeoutMs ?? 30_000);
  try {
    await client.access(accessOptions(spec));
    return client;
  } catch (e) {
    client.close();
    throw e;
  }
}

function accessOptions(spec: FtpDestination): AccessOptions {
  return {
    host: spec.host,
    port: spec.port ?? 21,
    user: spec.user,
    password: ftpPassword(spec),
    secure: spec.type === 'ftps',
    secureOptions: spec.type === 'ftps' ? { ...spec.tls, servername: spec.tls?.servername ?? spec.host } : undefined,
  };
}

const isMissing = (e: unknown): boolean => e instanceof FTPError && e.code === 550;

/** FTP/FTPS through basic-ftp: one control connection, operations strictly one at a time. */
export class FtpClient implements DestinationClient {
  readonly label: string;
  private constructor(
    private client: Client,
    private readonly base: string,
    private readonly spec: FtpDestination,
  ) {
    this.label = ftpLabel(spec);
  }

  static async open(spec: FtpDestination): Promise<FtpClient> {
    let client: Client | undefined;
    try {
      client = await login(spec);
      const base = spec.path.startsWith('/') ? spec.path : posix.join(await client.pwd(), spec.path);
      return new FtpClient(client, base, spec);
    } catch (e) {
      client?.close();
      throw new StorageError(ftpLabel(spec), 'connect', (e as Error).message, { cause: e });
    }
  }

  /**
   * Servers drop idle control connections (vsftpd after idle_session_timeout, 300 s), e.g.
   * while the next container is being dumped: log in again before an operation starts.
   * An operation that fails midway is never retried.
   */
  private op<T>(stage: StorageStage, path: string, fn: () => Promise<T>): Promise<T> {
    return storageOp(this.label, stage, path, async () => {
      // A fresh client: basic-ftp's state after a failed transfer is not reused.
      if (this.client.closed) this.client = await login(this.spec);
      return fn();
    });
  }

  put(path: string, source: Readable): Promise<void> {
    const target = joinDest(this.base, path);
    return this.op('upload', path, async () => {
      try {
        await this.client.uploadFrom(source, target);
      } catch (e) {
        // Fail the producer too (e.g. a download from the source host), so nothing upstream hangs.
        source.destroy(e as Error);
        throw e;
      }
    });
  }

  get(path: string, sink: Writable): Promise<void> {
    return this.op('download', path, async () => {
      await this.client.downloadTo(sink, joinDest(this.base, path));
    });
  }

  list(path = '.'): Promise<DestinationEntry[]> {
    return this.op('list', path, async () => {
      try {
        const items: FileInfo[] = await this.client.list(joinDest(this.base, path));
        return items
          .filter((i) => i.name !== '.' && i.name !== '..')
          .map((i) => ({ name: i.name, type: i.isDirectory ? 'dir' : i.isFile ? 'file' : 'other', size: i.size }));
      } catch (e) {
        if (isMissing(e)) return [];
        throw e;
      }
    });
  }

  size(path: string): Promise<number | undefined> {
    return this.op('list', path, async () => {
      try {
        return await this.client.size(joinDest(this.base, path));
      } catch (e) {
        if (isMissing(e)) return undefined;
        throw e;
      }
    });
  }

  /** Plain FTP has no standard checksum command (vsftpd has none): read the file back. */
  checksum(path: string): Promise<string> {
    return this.op('verify', path, async () => {
      const h = hashSink();
      await this.client.downloadTo(h.sink, joinDest(this.base, path));
      return h.digest();
    });
  }

  rename(from: string, to: string): Promise<void> {
    return this.op('rename', `${from} -> ${to}`, async () => {
      await this.client.rename(joinDest(this.base, from), joinDest(this.base, to));
    });
  }

  delete(path: string, options: { recursive?: boolean } = {}): Promise<void> {
    const target = joinDest(this.base, path);
    return this.op('delete', path, async () => {
      const parent = await this.list(posix.dirname(path));
      const entry = parent.find((e) => e.name === posix.basename(target));
      if (!entry) return;
      if (entry.type !== 'dir') await this.client.remove(target);
      else if (options.recursive) await this.client.removeDir(target);
      else await this.client.removeEmptyDir(target);
    });
  }

  mkdir(path: string): Promise<void> {
    const target = joinDest(this.base, path);
    return this.op('mkdir', path, async () => {
      const cwd = await this.client.pwd();
      await this.client.ensureDir(target);
      await this.client.cd(cwd);
    });
  }

  /** lftp or curl on the source host, when it has one. */
  sourceSideCommand(_from: Connection, tools: ReadonlySet<string>, localPath: string, path: string): SourceSideCommand | undefined {
    return ftpSourceCommand(this.spec, ftpPassword(this.spec), tools, localPath, joinDest(this.base, path));
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
