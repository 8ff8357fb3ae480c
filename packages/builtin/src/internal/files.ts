/**
 * The plan behind copy and template: files to put at remote paths (and directories to create),
 * compared by checksum with what is there, plus owner/group/mode.
 */
import { createHash } from 'node:crypto';
import { changes, noChange, ModuleError, type Change, type FileDiff, type Host, type Plan, type FileState } from '@shipshape/core';
import { attrChanges, freshInfo, mkdirChanges, wantedMode, type AttrArgs } from './attrs.js';
import type { ModeArg } from './mode.js';
import { parsePathInfo, pathInfoCommand } from './pathinfo.js';

/** One file to put on the host. Content is inline text, base64 bytes, or (content mode) the args. */
export interface PutFile {
  readonly dest: string;
  readonly content?: string;
  readonly contentBase64?: string;
  readonly remote: FileState;
  /** The remote file's current text, for diffs (read only when diff mode asks). */
  readonly before?: string;
  /** The controller source file's mode, for mode: preserve. */
  readonly localMode?: string;
}

export interface PutFacts {
  readonly umask: number;
  readonly files: readonly PutFile[];
  readonly dirs?: readonly { readonly dest: string; readonly remote: FileState }[];
}

export interface PutArgs extends AttrArgs {
  /** A mode, or 'preserve': the source file's mode. */
  readonly mode?: ModeArg;
  readonly backup?: boolean;
  readonly force?: boolean;
  readonly validate?: string;
  readonly directory_mode?: ModeArg;
}

export interface PutResult {
  dest: string;
  checksum?: string;
  size?: number;
  files?: number;
  [k: string]: unknown;
}

export function sha1(data: string | Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}

export function fileBytes(f: PutFile, fallback?: string): Buffer {
  if (f.contentBase64 !== undefined) return Buffer.from(f.contentBase64, 'base64');
  return Buffer.from(f.content ?? fallback ?? '', 'utf8');
}

/** Stat the destinations (with checksums) in one round trip; read old text for diffs if asked. */
export async function gatherPut(
  host: Host,
  files: readonly { dest: string; content?: string; contentBase64?: string; localMode?: string }[],
  dirs: readonly string[] = [],
): Promise<PutFacts> {
  const paths = [...files.map((f) => f.dest), ...dirs];
  const r = await host.run(pathInfoCommand(paths, { checksum: true }), { allowFail: true });
  const { umask, infos } = parsePathInfo(r, paths.length);
  const out: PutFile[] = files.map((f, i) => ({ ...f, remote: infos[i]! }));
  if (host.diff && out.length === 1) {
    const f = out[0]!;
    const bytes = fileBytes(f, '');
    if (f.remote.type === 'file' && f.remote.checksum !== sha1(bytes) && (f.remote.size ?? 0) < 1 << 20) {
      const state = await host.readFile(f.dest);
      out[0] = { ...f, before: state.content?.toString('utf8') ?? '' };
    }
  }
  return { umask, files: out, dirs: dirs.map((d, i) => ({ dest: d, remote: infos[files.length + i]! })) };
}

/** Pure: the writes, mkdirs and attribute fixes needed. `fallback` is content-mode text. */
export function planPut(args: PutArgs, facts: PutFacts, fallback?: string): Plan<PutResult> {
  const list: Change[] = [];
  const diff: FileDiff[] = [];
  const touched: string[] = [];
  for (const d of facts.dirs ?? []) {
    if (d.remote.exists && d.remote.type !== 'directory' && !d.remote.resolvesToDir) {
      throw new ModuleError(`${d.dest} exists and is not a directory`);
    }
    if (!d.remote.exists) {
      list.push(...mkdirChanges(d.dest, { owner: args.owner, group: args.group, mode: args.directory_mode }, facts.umask));
      touched.push(d.dest);
    }
  }
  let last: { checksum: string; size: number } | undefined;
  for (const f of facts.files) {
    if (args.mode === 'preserve' && f.localMode === undefined) throw new ModuleError(`mode preserve needs a source file (src) for ${f.dest}`);
    const want = args.mode === 'preserve' ? { ...args, mode: f.localMode } : args;
    const bytes = fileBytes(f, fallback);
    const checksum = sha1(bytes);
    last = { checksum, size: bytes.length };
    const r = f.remote;
    if (r.exists && (r.type === 'directory' || r.resolvesToDir)) {
      throw new ModuleError(`${f.dest} is a directory: cannot write a file there`);
    }
    if (r.exists && args.force === false) continue;
    if (!r.exists || r.checksum !== checksum) {
      const base = r.exists && r.type === 'file' ? r : freshInfo('file', facts.umask);
      const mode = wantedMode(want.mode, base, facts.umask);
      list.push({
        kind: 'write',
        path: f.dest,
        content: f.contentBase64 !== undefined ? bytes : bytes.toString('utf8'),
        ...(mode !== undefined ? { mode } : {}),
        ...(args.owner !== undefined ? { owner: args.owner } : {}),
        ...(args.group !== undefined ? { group: args.group } : {}),
        ...(args.backup && r.exists ? { backup: true } : {}),
        ...(args.validate !== undefined ? { validate: args.validate } : {}),
      });
      diff.push({ path: f.dest, before: r.exists ? (f.before ?? '') : '', after: f.contentBase64 !== undefined ? '(binary)' : bytes.toString('utf8') });
      touched.push(f.dest);
    } else {
      const fix = attrChanges(f.dest, want, r, facts.umask);
      if (fix.length) touched.push(f.dest);
      list.push(...fix);
    }
  }
  const single = facts.files.length === 1 && !(facts.dirs ?? []).length;
  const result: PutResult = single
    ? { dest: facts.files[0]!.dest, ...(last ?? {}) }
    : { dest: facts.files[0]?.dest ?? facts.dirs?.[0]?.dest ?? '', files: facts.files.length };
  if (!list.length) return noChange(single ? `${result.dest} is up to date` : `${facts.files.length} file(s) up to date`, result);
  const msg = touched.length === 1 ? `${touched[0]} updated` : `${touched.length} paths updated`;
  return changes(msg, list, { diff, result });
}

