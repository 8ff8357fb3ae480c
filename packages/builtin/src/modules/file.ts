import { cmd, changes, defineModule, noChange, ModuleError, sameId, type Change, type Plan } from '@shipshape/core';
import { z } from 'zod';
import { attrChanges, freshInfo, mkdirChanges, wantedMode } from '../internal/attrs.js';
import { parsePathInfo, pathInfoCommand, type PathInfo } from '../internal/pathinfo.js';
import { withAliases } from '../edit/file-module.js';
import { boolSchema, idSchema, modeSchema } from '../internal/schemas.js';

const timeSchema = z.union([z.literal('preserve'), z.literal('now')]);

export const fileSchema = withAliases(z
  .object({
    path: z.string().min(1),
    /** @default the path's current kind, else 'directory' with recurse, 'link' with src, else 'file' */
    state: z.enum(['file', 'directory', 'touch', 'link', 'hard', 'absent']).optional(),
    mode: modeSchema.optional(),
    owner: idSchema.optional(),
    group: idSchema.optional(),
    /** Apply owner/group/mode to everything below a directory. @default false */
    recurse: boolSchema.default(false),
    /** Link target (state link or hard). */
    src: z.string().min(1).optional(),
    /** Replace a file by a link. @default false */
    force: boolSchema.default(false),
    /** touch only: 'now' (Ansible's default: always changed) or 'preserve' (idempotent). */
    modification_time: timeSchema.optional(),
    access_time: timeSchema.optional(),
  })
  .strict()
  .refine((a) => !a.recurse || (a.state ?? 'directory') === 'directory', { message: 'recurse needs state directory', path: ['recurse'] })
  .refine((a) => !['link', 'hard'].includes(a.state ?? '') || a.src !== undefined, { message: 'src is required for state link and hard', path: ['src'] }),
  { dest: 'path', name: 'path' });

export type FileArgs = z.output<typeof fileSchema>;

export interface FileFacts {
  readonly umask: number;
  readonly info: PathInfo;
  /** For hard links: the source's state. */
  readonly srcInfo?: PathInfo;
  /** With recurse: everything below the directory. */
  readonly children?: readonly (PathInfo & { path: string })[];
}

function effectiveState(a: FileArgs, info: PathInfo): NonNullable<FileArgs['state']> {
  if (a.state) return a.state;
  if (info.exists) return info.type === 'directory' ? 'directory' : info.type === 'link' ? 'link' : 'file';
  return a.recurse ? 'directory' : a.src ? 'link' : 'file';
}

function describe(info: PathInfo): string {
  if (!info.exists) return 'absent';
  return info.type === 'link' ? `link -> ${info.target}` : `${info.type} ${info.mode} ${info.owner}:${info.group}`;
}

/** Recursive attribute fixes, batched: one chown/chgrp -R, one chmod per distinct resulting mode. */
function recurseChanges(a: FileArgs, root: string, kids: readonly (PathInfo & { path: string })[], umask: number): Change[] {
  const out: Change[] = [];
  if (a.owner !== undefined && kids.some((k) => !sameId(a.owner!, k.owner, k.uid))) out.push({ kind: 'exec', command: cmd('chown', '-R', a.owner, root), paths: [root] });
  if (a.group !== undefined && kids.some((k) => !sameId(a.group!, k.group, k.gid))) out.push({ kind: 'exec', command: cmd('chgrp', '-R', a.group, root), paths: [root] });
  const byMode = new Map<string, string[]>();
  for (const k of kids) {
    if (k.type === 'link') continue;
    const m = wantedMode(a.mode, k, umask);
    if (m !== undefined && m !== k.mode) byMode.set(m, [...(byMode.get(m) ?? []), k.path]);
  }
  for (const [m, paths] of byMode) {
    for (let i = 0; i < paths.length; i += 200) out.push({ kind: 'exec', command: cmd('chmod', m, ...paths.slice(i, i + 200)), paths: [root] });
  }
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
  const attrs = (base: PathInfo) => attrChanges(p, a, base, umask);
  switch (state) {
    case 'absent':
      return done(info.exists ? [{ kind: 'exec', command: cmd('rm', '-rf', p), paths: [p] }] : [], 'absent');
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
      if (!info.exists) return done([{ kind: 'exec', command: cmd('touch', p), paths: [p] }, ...attrs(freshInfo('file', umask))], 'touched');
      const stamp: Change[] = a.modification_time === 'preserve' && a.access_time !== 'now' ? [] : [{ kind: 'exec', command: cmd('touch', p), paths: [p] }];
      return done([...stamp, ...attrs(info)], 'touched');
    }
    case 'link': {
      const src = a.src!;
      if (info.type === 'link' && info.target === src) return done(attrs(info), `link to ${src}`);
      if (info.type === 'directory') throw new ModuleError(`${p} is a directory, refusing to replace it by a link`);
      if (info.type === 'file' && !a.force) throw new ModuleError(`refusing to convert from file to symlink for ${p}; set force: true`);
      const made: PathInfo = { exists: true, type: 'link', target: src };
      return done([{ kind: 'exec', command: cmd('ln', '-sfn', src, p), paths: [p] }, ...attrs(made)], `link to ${src}`);
    }
    case 'hard': {
      const src = a.src!;
      const s = f.srcInfo;
      if (!s?.exists) throw new ModuleError(`src ${src} does not exist, cannot make a hard link to it`);
      if (info.exists && info.inode === s.inode && info.dev === s.dev) return done(attrs(info), `hard link to ${src}`);
      if (info.type === 'directory') throw new ModuleError(`${p} is a directory, refusing to replace it by a hard link`);
      if (info.exists && (info.nlink ?? 1) < 2 && !a.force) throw new ModuleError(`Cannot link, file exists at destination ${p}; set force: true`);
      return done([{ kind: 'exec', command: cmd('ln', '-f', src, p), paths: [p] }, ...attrs({ ...s, type: 'file' })], `hard link to ${src}`);
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
    const list = (await host.run(cmd('find', a.path, '-mindepth', '1'))).stdout.split('\n').filter(Boolean);
    const kids = parsePathInfo(await host.run(pathInfoCommand(list), { allowFail: true }), list.length).infos;
    return { ...facts, children: kids.map((k, i) => ({ ...k, path: list[i]! })) };
  },
  plan: planFile,
});
