/**
 * Ownership and mode planning shared by copy, template and file: compare the wanted attributes with
 * a path's live state and return the `chmod`/`chown`/`chgrp` commands that close the gap.
 */
import { cmd, pathArg, type Change, type Command, type FileState } from '@shipshape/core';
import { sameId } from '@shipshape/core/module-kit';
import { formatMode, resolveMode, type ModeArg } from './mode.js';

export interface AttrArgs {
  readonly mode?: ModeArg;
  readonly owner?: string;
  readonly group?: string;
}

/** What a path created now would look like: the mode the umask leaves of 0777 (directory) or 0666 (file). */
export function freshInfo(type: 'file' | 'directory', umask: number): FileState {
  return { exists: true, type, mode: formatMode((type === 'directory' ? 0o777 : 0o666) & ~umask) };
}


/** The mode bits `mode` would give this path (undefined when no mode is wanted). */
export function wantedMode(mode: ModeArg | undefined, info: Pick<FileState, 'type' | 'mode'>, umask: number): string | undefined {
  if (mode === undefined) return undefined;
  const current = parseInt(info.mode ?? '0', 8);
  return formatMode(resolveMode(mode, current, info.type === 'directory', umask));
}

/** chmod, chown, chgrp and mkdir start nothing that outlives them: their output goes straight back (no capture files). */
const contained = (...argv: Parameters<typeof cmd>): Command => ({ ...cmd(...argv), contained: true });

/** Commands fixing mode/owner/group of an existing path; empty when all match. */
export function attrChanges(path: string, want: AttrArgs, info: FileState, umask: number): Change[] {
  const out: Change[] = [];
  const arg = pathArg(path);
  const link = info.type === 'link';
  if (want.owner !== undefined && !sameId(want.owner, info.owner, info.uid)) {
    out.push({ kind: 'exec', command: link ? contained('chown', '-h', want.owner, arg) : contained('chown', want.owner, arg), paths: [path] });
  }
  if (want.group !== undefined && !sameId(want.group, info.group, info.gid)) {
    out.push({ kind: 'exec', command: link ? contained('chgrp', '-h', want.group, arg) : contained('chgrp', want.group, arg), paths: [path] });
  }
  // chmod on a symlink changes its target; Ansible skips modes of links it does not follow
  const mode = link ? undefined : wantedMode(want.mode, info, umask);
  if (mode !== undefined && mode !== info.mode) out.push({ kind: 'exec', command: contained('chmod', mode, arg), paths: [path] });
  return out;
}

/**
 * A missing directory: `mkdir -p -m MODE` gives it its wanted mode in the same process (one process
 * less than mkdir + chmod; on small hosts every fork counts), then owner/group.
 */
export function mkdirChanges(path: string, want: AttrArgs, umask: number): Change[] {
  const fresh = freshInfo('directory', umask);
  const mode = wantedMode(want.mode, fresh, umask);
  const mkdir = mode !== undefined && mode !== fresh.mode ? contained('mkdir', '-p', '-m', mode, pathArg(path)) : contained('mkdir', '-p', pathArg(path));
  return [{ kind: 'exec', command: mkdir, paths: [path] }, ...attrChanges(path, { owner: want.owner, group: want.group }, fresh, umask)];
}
