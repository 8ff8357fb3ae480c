import * as path from 'node:path';
import { changes, defineModule, noChange, ModuleError, type Plan } from '@shipshape/core';
import { z } from 'zod';
import { sha1 } from '../internal/files.js';
import { readLocalIfExists, writeLocalAtomic } from '../internal/local.js';
import { boolSchema } from '../internal/schemas.js';

export const fetchSchema = z
  .object({
    /** Remote file. */
    src: z.string().min(1).describe('Remote file.'),
    /** Controller directory (or file with flat). */
    dest: z.string().min(1).describe('Controller directory (or file with flat).'),
    /** Save to dest (or dest/basename(src) when dest ends with '/') instead of dest/<host>/<src>. */
    flat: boolSchema.default(false).describe('Save to dest (or dest/basename(src) when dest ends with \'/\') instead of dest/<host>/<src>.'),
    /** Fail when src does not exist (false: report ok and fetch nothing). @default true */
    fail_on_missing: boolSchema.default(true).describe('Fail when src does not exist (false: report ok and fetch nothing).'),
  })
  .strict();

export type FetchArgs = z.output<typeof fetchSchema>;

export interface FetchFacts {
  /** The controller path the file goes to. */
  readonly localPath: string;
  readonly remoteBase64?: string;
  readonly localSha1?: string;
}

/** Where Ansible's fetch puts a file: dest/<host>/<src>, or with flat dest (dest/basename when dest ends with /). */
export function fetchLocalPath(a: FetchArgs, hostName: string): string {
  if (a.flat) return a.dest.endsWith('/') ? path.join(a.dest, path.posix.basename(a.src)) : a.dest;
  return path.join(a.dest, hostName, a.src.replace(/^\/+/, ''));
}

export function planFetch(a: FetchArgs, f: FetchFacts): Plan {
  if (f.remoteBase64 === undefined) {
    if (a.fail_on_missing) throw new ModuleError(`the remote file does not exist, not transferring: ${a.src}`);
    return noChange(`the remote file does not exist, not transferring: ${a.src}`, { file: a.src });
  }
  const bytes = Buffer.from(f.remoteBase64, 'base64');
  const checksum = sha1(bytes);
  const result = { dest: f.localPath, checksum, remote_checksum: checksum };
  if (f.localSha1 === checksum) return noChange(`${f.localPath} is up to date`, result);
  return changes(`fetched ${a.src} to ${f.localPath}`, [
    { kind: 'call', describe: `write ${f.localPath}`, run: () => writeLocalAtomic(f.localPath, bytes) },
  ], { result });
}

/**
 * Copy a remote file to the controller, like Ansible's fetch (dest/<inventory_hostname>/<src>
 * unless flat). Written atomically; unchanged when the checksums match.
 * @example
 * fetch({ src: '/etc/ssh/sshd_config', dest: 'backups/' })
 */
export const fetch = defineModule({
  name: 'fetch',
  description: 'Copy a remote file to the controller',
  schema: fetchSchema,
  async gather(host, a): Promise<FetchFacts> {
    const localPath = fetchLocalPath(a, host.name);
    const [remote, local] = await Promise.all([host.readFile(a.src), readLocalIfExists(localPath)]);
    return {
      localPath,
      ...(remote.exists ? { remoteBase64: (remote.content ?? Buffer.alloc(0)).toString('base64') } : {}),
      ...(local ? { localSha1: sha1(local) } : {}),
    };
  },
  plan: planFetch,
});
