import { cmd, defineModule, pathArg, noChange, type Plan, type FileState } from '@shipshape/core';
import { z } from 'zod';
import { parsePathInfo, pathInfoCommand } from '../internal/pathinfo.js';
import { withAliases } from '../edit/file-module.js';
import { boolSchema } from '../internal/schemas.js';

export const statSchema = withAliases(z
  .object({
    /** Path on the host. */
    path: z.string().min(1).describe('Path on the host.'),
    /** Report on a symlink's target instead of the link. */
    follow: boolSchema.default(false).describe('Report on a symlink\'s target instead of the link.'),
    /** Report the file's checksum. @default true */
    get_checksum: boolSchema.default(true).describe('Report the file\'s checksum.'),
    /** Algorithm of the checksum. @default 'sha1' */
    checksum_algorithm: z.enum(['sha1', 'sha256', 'md5']).default('sha1').describe('Algorithm of the checksum.'),
  })
  .strict(), { dest: 'path', name: 'path' });

export type StatArgs = z.output<typeof statSchema>;

export interface StatFacts {
  readonly info: FileState;
  /** With follow: the resolved path of a link. */
  readonly resolved?: string;
}

/** Ansible's stat result shape, from the live state. */
export function statResult(path: string, info: FileState, resolved?: string): Record<string, unknown> {
  if (!info.exists) return { exists: false };
  const mode = parseInt(info.mode ?? '0', 8);
  return {
    exists: true,
    path,
    mode: info.mode,
    isdir: info.type === 'directory',
    isreg: info.type === 'file',
    islnk: info.type === 'link',
    uid: info.uid,
    gid: info.gid,
    pw_name: info.owner,
    gr_name: info.group,
    size: info.size,
    inode: info.inode,
    dev: info.dev,
    nlink: info.nlink,
    mtime: info.mtime,
    isuid: (mode & 0o4000) !== 0,
    isgid: (mode & 0o2000) !== 0,
    ...Object.fromEntries(
      (['usr', 'grp', 'oth'] as const).flatMap((who, i) =>
        (['r', 'w', 'x'] as const).map((p, j) => [`${p}${who}`, (mode & (0o400 >> (3 * i + j))) !== 0]),
      ),
    ),
    ...(info.checksum ? { checksum: info.checksum } : {}),
    ...(info.type === 'link' ? { lnk_target: info.target, lnk_source: resolved ?? info.target } : {}),
  };
}

export function planStat(a: StatArgs, f: StatFacts): Plan {
  return noChange(f.info.exists ? `${a.path} exists` : `${a.path} does not exist`, { stat: statResult(a.path, f.info, f.resolved) });
}

/**
 * Read a path's state (never changes anything): exists, mode, owner, size, checksum, link target.
 * The result's `data.stat` has Ansible's field names.
 * @example
 * stat({ path: '/etc/ssh/sshd_config' }, { register: 'sshd_conf' })
 */
export const stat = defineModule({
  name: 'stat',
  description: "Report a path's state",
  schema: statSchema,
  async gather(host, a): Promise<StatFacts> {
    const algo = a.get_checksum ? a.checksum_algorithm : false;
    const one = async (p: string) => parsePathInfo(await host.run(pathInfoCommand([p], { checksum: algo }), { allowFail: true }), 1).infos[0]!;
    const info = await one(a.path);
    if (!a.follow || info.type !== 'link') return { info };
    const resolved = (await host.run(cmd('readlink', '-f', '--', pathArg(a.path)), { allowFail: true })).stdout.replace(/\n$/, '');
    const target = resolved ? await one(resolved) : info;
    return { info: target.exists ? target : info, resolved };
  },
  plan: planStat,
});
