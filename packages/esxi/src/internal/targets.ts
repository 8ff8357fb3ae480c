/**
 * Where backupConfig keeps bundles: a directory on the controller (compared by content, so an
 * unchanged configuration is not stored again), or any @shipshape/storage destination (local
 * directory on a host, SFTP, FTP/FTPS), which cannot be read back, so every run stores a bundle.
 */
import { Readable } from 'node:stream';
import { fromStream, openDestination, store, type Destination } from '@shipshape/storage';
import { inspectBundle } from '../bundle.js';
import { BundleDir } from './store.js';

export interface BundleTarget {
  readonly label: string;
  list(): Promise<string[]>;
  /** Config digest of a stored bundle; undefined when the target cannot read files back. */
  digestOf(name: string): Promise<string | undefined>;
  put(name: string, data: Buffer): Promise<void>;
  delete(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openTarget(dest: string | Destination): Promise<BundleTarget> {
  if (typeof dest === 'string') {
    const dir = new BundleDir(dest);
    return {
      label: dest,
      list: () => dir.list(),
      digestOf: async (name) => inspectBundle(await dir.read(name), name).configDigest,
      put: async (name, data) => void (await dir.put(name, data)),
      delete: (name) => dir.delete(name),
      close: async () => undefined,
    };
  }
  const client = await openDestination(dest);
  return {
    label: client.label,
    list: async () => (await client.list()).filter((e) => e.type === 'file').map((e) => e.name),
    digestOf: async () => undefined,
    put: async (name, data) => void (await store(client, name, fromStream(() => Readable.from([data]), data.length))),
    delete: (name) => client.delete(name),
    close: () => client.close(),
  };
}

