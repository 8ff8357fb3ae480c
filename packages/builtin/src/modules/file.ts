import { cmd, changes, defineModule, noChange, ModuleError, pathArg, type Arg, type Change, type Plan, type FileState } from '@shipshape/core';
import { sameId } from '@shipshape/core/module-kit';
import { z } from 'zod';
import { attrChanges, freshInfo, mkdirChanges, wantedMode } from '../internal/attrs.js';
import { parsePathInfo, pathInfoCommand } from '../internal/pathinfo.js';
import { withAliases } from '../edit/file-module.js';
import { boolSchema, idSchema, modeSchema } from '../internal/schemas.js';

const timeSchema = z.union([z.literal('preserve'), z.literal('now')]);

export const fileSchema = withAliases(z
  .object({
    /** Path on the host. Aliases: dest, name. */
    path: z.string().min(1).describe('Path on the host.'),
    /** file, directory, touch, link, hard or absent; default: the path's current kind, else directory with recurse, link with src, else file. */
    state: z.enum(['file', 'directory', 'touch', 'link', 'hard', 'absent']).optional().describe('file, directory, touch, link, hard or absent; default: the path\'s current kind, else directory with recurse, link with src, else file.'),
    /** Mode of the path: octal ('0644', 0o644) or symbolic ('u=rw,go=r'). */
    mode: modeSchema.optional().describe('Mode of the path: octal (\'0644\', 0o644) or symbolic (\'u=rw,go=r\').'),
    /** Owner of the path: a user name or a numeric uid. */
    owner: idSchema.optional().describe('Owner of the path: a user name or a numeric uid.'),
    /** Group of the path: a group name or a numeric gid. */
    group: idSchema.optional().describe('Group of the path: a group name or a numeric gid.'),
    /** Apply owner/group/mode to everything below a directory. */
    recurse: boolSchema.default(false).describe('Apply owner/group/mode to everything below a directory.'),
    /** Link target (state link or hard). */
    src: z.string().min(1).optional().describe('Link target (state link or hard).'),
    /** Replace a file by a link. */
    force: boolSchema.default(false).describe('Replace a file by a link.'),
    /** touch only: 'now' (Ansible's default: always changed) or 'preserve' (idempotent). */
    modification_time: timeSchema.optional().describe('touch only: \'now\' (Ansible\'s default: always changed) or \'preserve\' (idempotent).'),
    /** touch only: 'now' or 'preserve'. */
    access_time: timeSchema.optional().describe('touch only: \'now\' or \'preserve\'.'),
  })
  .strict()
  .refine((a) => !a.recurse || (a.state ?? 'directory') === 'directory', { message: 'recurse needs state directory', path: ['recurse'] })
  .refine((a) => !['link', 'hard'].includes(a.state ?? '') || a.src !== undefined, { message: 'src is required for state link and hard', path: ['src'] }),
  { dest: 'path', name: 'path' });

export type FileArgs = z.output<typeof fileSchema>;

/** What recursion needs to know of one entry below the directory: its kind and attributes, not its name. */
export interface ChildInfo {
  readonly type: 'file' | 'directory' | 'link' | 'other';
  /** Four octal digits. */
  readonly mode: string;
  readonly uid: number;
  readonly gid: number;
  readonly owner: string;
  readonly group: string;
}

export interface FileFacts {
  readonly umask: number;
  readonly info: FileState;
  /** For hard links: the source's state. */
  readonly srcInfo?: FileState;
  /** With recurse: the distinct kinds and attributes of everything below the directory. */
  readonly children?: readonly ChildInfo[];
}

function effectiveState(a: FileArgs, info: FileState): NonNullable<FileArgs['state']> {
  if (a.state) return a.state;
  if (info.exists) return info.type === 'directory' ? 'directory' : info.type === 'link' ? 'link' : 'file';
  return a.recurse ? 'directory' : a.src ? 'link' : 'file';
}

function describe(info: FileState): string {
  if (!info.exists) return 'absent';
  return info.type === 'link' ? `link -> ${info.target}` : `${info.type} ${info.mode} ${info.owner}:${info.group}`;
}

/**
 * `find` over everything below a directory, never following a link. A relative root gets `./` (find
 * would read `-x`, `!` or `(` as an expression).
 */
function findBelow(root: string, ...expression: Arg[]) {
  return cmd('find', root.startsWith('/') ? root : `./${root}`, '-mindepth', '1', ...expression);
}

/** One line per entry below the directory: raw mode (hex), mode bits, uid, gid, owner, group. No names. */
const CHILD_FORMAT = '%f|%a|%u|%g|%U|%G';

export function parseChildren(stdout: string): ChildInfo[] {
  const seen = new Map<string, ChildInfo>();
  for (const line of stdout.split('\n')) {
    if (!line || seen.has(line)) continue;
    const [raw, mode, uid, gid, owner, group] = line.split('|');
    const kind = parseInt(raw ?? '', 16) & 0o170000;
    if (group === undefined || !/^[0-7]{1,4}$/.test(mode!) || Number.isNaN(kind)) throw new ModuleError(`unexpected stat output below the directory: ${JSON.stringify(line)}`);
    const type = kind === 0o040000 ? 'directory' : kind === 0o120000 ? 'link' : kind === 0o100000 ? 'file' : 'other';
    seen.set(line, { type, mode: mode!.padStart(4, '0'), uid: Number(uid), gid: Number(gid), owner: owner!, group });
  }
  return [...seen.values()];
}

/**
 * Recursive attribute fixes, done by `find` on the host: entries are picked by their owner, group,
 * kind and current mode, never by a name read back (a name can hold a newline), links are never
 * followed (`chown -h`, and no chmod of a link), and nothing outside the directory is named.
 */
function recurseChanges(a: FileArgs, root: string, kids: readonly ChildInfo[], umask: number): Change[] {
  const out: Change[] = [];
  const exec = (...expression: Arg[]): Change => ({ kind: 'exec', command: findBelow(root, ...expression), paths: [root] });
  if (a.owner !== undefined && kids.some((k) => !sameId(a.owner!, k.owner, k.uid))) out.push(exec('!', '-user', a.owner, '-exec', 'chown', '-h', a.owner, '{}', '+'));
  if (a.group !== undefined && kids.some((k) => !sameId(a.group!, k.group, k.gid))) out.push(exec('!', '-group', a.group, '-exec', 'chgrp', '-h', a.group, '{}', '+'));
  // One clause per kind and current mode that must change (symbolic modes give each its own result).
  // No parentheses: busybox find never runs an `-exec … +` batched inside them.
  const clauses: Arg[] = [];
  const seen = new Set<string>();
  for (const k of kids) {
    const key = `${k.type === 'directory'} ${k.mode}`;
    if (k.type === 'link' || seen.has(key)) continue;
    seen.add(key);
    const m = wantedMode(a.mode, k, umask);
    if (m === undefined || m === k.mode) continue;
    const kind = k.type === 'directory' ? ['-type', 'd'] : ['!', '-type', 'd', '!', '-type', 'l'];
    clauses.push(...(clauses.length ? ['-o'] : []), ...kind, '-perm', k.mode, '-exec', 'chmod', m, '{}', '+');
  }
  if (clauses.length) out.push(exec('-depth', ...clauses));
  return out;
}

/** Pure plan for the file module. */
export function planFile(a: FileArgs, f: FileFacts): Plan {
  const { info, umask } = f;
  const p = a.path;
  const state = effectiveState(a, info);
  const done = (list: Change[], what: string): Plan => {
    const after = state === 'absent' ? 'absent' : state;
    const result = { path: p, state: after };
    if (!list.length) return noChange(`${p} is ${what}`, result);
    return changes(`${p}: ${what}`, list, { diff: [{ path: p, before: `${describe(info)}\n`, after: `${after}\n` }], result });
  };
  const attrs = (base: FileState) => attrChanges(p, a, base, umask);
  switch (state) {
    case 'absent':
      return done(info.exists ? [{ kind: 'exec', command: cmd('rm', '-rf', pathArg(p)), paths: [p] }] : [], 'absent');
    case 'directory': {
      if (!info.exists) return done(mkdirChanges(p, a, umask), 'directory');
      if (info.type !== 'directory' && !info.resolvesToDir) throw new ModuleError(`there is already a ${info.type} at ${p}, cannot make it a directory`);
      const list = info.type === 'directory' ? attrs(info) : [];
      if (a.recurse) list.push(...recurseChanges(a, p, f.children ?? [], umask));
      return done(list, 'directory');
    }
    case 'file':
      if (!info.exists) throw new ModuleError(`file (${p}) is absent, cannot continue`);
      if (info.type !== 'file') throw new ModuleError(`file (${p}) is ${info.type}, cannot continue`);
      return done(attrs(info), 'file');
    case 'touch': {
      if (!info.exists) return done([{ kind: 'exec', command: cmd('touch', pathArg(p)), paths: [p] }, ...attrs(freshInfo('file', umask))], 'touched');
      const stamp: Change[] = a.modification_time === 'preserve' && a.access_time !== 'now' ? [] : [{ kind: 'exec', command: cmd('touch', pathArg(p)), paths: [p] }];
      return done([...stamp, ...attrs(info)], 'touched');
    }
    case 'link': {
      const src = a.src!;
      if (info.type === 'link' && info.target === src) return done(attrs(info), `link to ${src}`);
      if (info.type === 'directory') throw new ModuleError(`${p} is a directory, refusing to replace it by a link`);
      if (info.type === 'file' && !a.force) throw new ModuleError(`refusing to convert from file to symlink for ${p}; set force: true`);
      const made: FileState = { exists: true, type: 'link', target: src };
      return done([{ kind: 'exec', command: cmd('ln', '-sfn', '--', src, pathArg(p)), paths: [p] }, ...attrs(made)], `link to ${src}`);
    }
    case 'hard': {
      const src = a.src!;
      const s = f.srcInfo;
      if (!s?.exists) throw new ModuleError(`src ${src} does not exist, cannot make a hard link to it`);
      if (info.exists && info.inode === s.inode && info.dev === s.dev) return done(attrs(info), `hard link to ${src}`);
      if (info.type === 'directory') throw new ModuleError(`${p} is a directory, refusing to replace it by a hard link`);
      if (info.exists && (info.nlink ?? 1) < 2 && !a.force) throw new ModuleError(`Cannot link, file exists at destination ${p}; set force: true`);
      return done([{ kind: 'exec', command: cmd('ln', '-f', '--', src, pathArg(p)), paths: [p] }, ...attrs({ ...s, type: 'file' })], `hard link to ${src}`);
    }
  }
}

/**
 * Manage a path's kind and attributes: file, directory, touch, link, hard link, absent; mode in
 * octal or symbolic form (`u+x,g-w,o=r`), owner/group, recursion.
 * @example
 * file({ path: '/srv/app', state: 'directory', mode: 'u=rwX,g=rX,o=', owner: 'app', recurse: true })
 */
export const file = defineModule({
  name: 'file',
  description: 'Manage files, directories, links and their attributes',
  schema: fileSchema,
  prefetch: (a) => [pathInfoCommand(a.state === 'hard' ? [a.path, a.src!] : [a.path])],
  async gather(host, a): Promise<FileFacts> {
    const paths = a.state === 'hard' ? [a.path, a.src!] : [a.path];
    const r = await host.run(pathInfoCommand(paths), { allowFail: true });
    const { umask, infos } = parsePathInfo(r, paths.length);
    const facts: FileFacts = { umask, info: infos[0]!, ...(infos[1] ? { srcInfo: infos[1] } : {}) };
    if (!a.recurse || infos[0]!.type !== 'directory' || (a.mode === undefined && a.owner === undefined && a.group === undefined)) return facts;
    const kids = await host.run(findBelow(a.path, '-exec', 'stat', '-c', CHILD_FORMAT, '{}', '+'));
    return { ...facts, children: parseChildren(kids.stdout) };
  },
  plan: planFile,
});
