import { posix } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { raw, sh, type Command, type Connection, type Host } from '@shipshape/core';
import { StorageError, type StorageStage } from '../errors.js';
import { joinDest } from '../internal/paths.js';
import { copyCommand, type SourceSideCommand } from '../internal/source-side.js';
import type { DestinationClient, DestinationEntry, LocalDestination } from '../types.js';

export const connectionOf = (on: Host | Connection): Connection => ('$' in on ? on.connection : on);

/**
 * `type<TAB>size<TAB>name<NUL>` per entry (a name may hold tabs and newlines, never a NUL); POSIX sh +
 * busybox (ls -lnd gives the size without reading).
 */
const LIST = `for f in * .[!.]* ..?*; do
  [ -e "$f" ] || [ -h "$f" ] || continue
  if [ -h "$f" ]; then t=other; elif [ -d "$f" ]; then t=dir; elif [ -f "$f" ]; then t=file; else t=other; fi
  s=$(ls -lnd "./$f" | awk '{print $5}')
  printf '%s\\t%s\\t%s\\000' "$t" "$s" "$f"
done`;

/** Parse the listing script's output. */
export function parseListing(stdout: string): DestinationEntry[] {
  return stdout
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [type, size, ...name] = line.split('\t');
      return { name: name.join('\t'), type: type as DestinationEntry['type'], size: Number(size) || 0 };
    });
}

/** A directory on a host, driven by POSIX commands over the host's own connection. */
export class LocalDirClient implements DestinationClient {
  readonly label: string;
  readonly connection: Connection;
  private readonly base: string;

  constructor(spec: LocalDestination) {
    if (!spec.path.startsWith('/')) {
      throw new StorageError(`local:${spec.path}`, 'connect', `path ${JSON.stringify(spec.path)} must be absolute`);
    }
    this.connection = connectionOf(spec.on);
    this.base = posix.normalize(spec.path);
    this.label = `local://${this.connection.name}${this.base}`;
  }

  /** Absolute path of a destination-relative one. */
  resolve(path: string): string {
    return joinDest(this.base, path);
  }

  private async run(stage: StorageStage, what: string, command: Command): Promise<string> {
    const r = await this.connection.exec(command);
    if (r.code !== 0) throw new StorageError(this.label, stage, `${what}: ${(r.stderr || r.stdout).trim() || `exit ${r.code}`}`);
    return r.stdout;
  }

  async put(path: string, source: Readable): Promise<void> {
    try {
      await this.connection.upload(source, this.resolve(path));
    } catch (e) {
      source.destroy(e as Error);
      throw new StorageError(this.label, 'upload', `${path}: ${(e as Error).message}`, { cause: e });
    }
  }

  async get(path: string, sink: Writable): Promise<void> {
    try {
      await this.connection.download(this.resolve(path), sink);
    } catch (e) {
      throw new StorageError(this.label, 'download', `${path}: ${(e as Error).message}`, { cause: e });
    }
  }

  async list(path = '.'): Promise<DestinationEntry[]> {
    const dir = this.resolve(path);
    return parseListing(await this.run('list', path, sh`cd ${dir} 2>/dev/null || exit 0; ${raw(LIST)}`));
  }

  async size(path: string): Promise<number | undefined> {
    const p = this.resolve(path);
    const out = await this.run('list', path, sh`if [ -f ${p} ]; then ls -lnd ${p} | awk '{print $5}'; fi`);
    return out.trim() ? Number(out.trim()) : undefined;
  }

  async checksum(path: string): Promise<string> {
    const out = await this.run('verify', path, sh`sha256sum ${this.resolve(path)}`);
    return out.trim().split(/\s+/)[0]!;
  }

  async rename(from: string, to: string): Promise<void> {
    const [a, b] = [this.resolve(from), this.resolve(to)];
    // mv onto an existing directory would move inside it: refuse instead.
    await this.run('rename', `${from} -> ${to}`, sh`if [ -e ${b} ]; then echo ${`${to} already exists`} >&2; exit 1; fi; mv ${a} ${b}`);
  }

  async delete(path: string, options: { recursive?: boolean } = {}): Promise<void> {
    const p = this.resolve(path);
    if (p === this.base) throw new StorageError(this.label, 'delete', 'refusing to delete the destination directory itself');
    const dir = options.recursive ? sh`rm -rf ${p}` : sh`rmdir ${p}`;
    await this.run('delete', path, sh`if [ -d ${p} ] && [ ! -h ${p} ]; then ${dir}; else rm -f ${p}; fi`);
  }

  async mkdir(path: string): Promise<void> {
    await this.run('mkdir', path, sh`mkdir -p ${this.resolve(path)}`);
  }

  /** A plain cp when the source file is on this very connection. */
  sourceSideCommand(from: Connection, _tools: ReadonlySet<string>, localPath: string, path: string): SourceSideCommand | undefined {
    return from === this.connection ? copyCommand(localPath, this.resolve(path)) : undefined;
  }

  async close(): Promise<void> {}
}
