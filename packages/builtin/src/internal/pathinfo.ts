/**
 * One round trip for the state (FileState) of many remote paths: type, mode, owner, size, checksum, link target.
 * POSIX sh plus busybox applets (`stat -c`, `sha1sum`, `readlink`) only.
 */
import { pathArg, raw, sh, type Command, type ExecResult, type FileState, type ProbedPath } from '@shipshape/core';
import { STAT_FORMAT } from '@shipshape/core/module-kit';
import { ModuleError } from '@shipshape/core';

export const MISSING: FileState = { exists: false };

import type { ChecksumAlgorithm } from '@shipshape/core';
export type { ChecksumAlgorithm };

/**
 * Shell text printing one record per path, in order: `-` when missing, else
 * `R|type|mode|uid|gid|owner|group|size|inode|dev|nlink|mtime|checksum|dirflag`, then for links
 * `L<target>\n\0`: a link target may hold newlines, so it ends at a NUL, which no path can hold.
 * The first line is the remote umask.
 */
export function pathInfoCommand(paths: readonly string[], opts: { checksum?: boolean | ChecksumAlgorithm } = {}): Command {
  const algo = opts.checksum === true ? 'sha1' : opts.checksum || '';
  const sum = algo ? raw(`c=; if [ "$t" = file ] && [ -r "$p" ]; then set -- $(${algo}sum < "$p"); c=$1; fi; `) : raw('c=; ');
  const list = paths.length ? paths : [''];
  const command = sh`umask; for p in ${list.map(pathArg)}; do if [ -L "$p" ]; then t=link; elif [ -d "$p" ]; then t=directory; elif [ -f "$p" ]; then t=file; elif [ -e "$p" ]; then t=other; else echo -; continue; fi; ${sum}d=0; [ -d "$p" ] && d=1; echo "R|$t|$(stat -c ${STAT_FORMAT} -- "$p")|$c|$d"; [ "$t" = link ] && { printf L; readlink -- "$p"; printf '\\000\\n'; }; done; true`;
  // The same output from a prefetch probe (many paths of many tasks in a few processes).
  const render = (seen: readonly ProbedPath[], umask: string): Buffer => {
    const out = [umask];
    for (const p of seen) {
      if (p.type === 'missing') {
        out.push('-');
        continue;
      }
      const c = algo && p.type === 'file' && p.readable ? (p.checksums[algo] ?? '') : '';
      out.push(`R|${p.type}|${p.lstat}|${c}|${p.isDir ? 1 : 0}`);
      if (p.type === 'link') out.push(`L${p.target ?? ''}\n\0`);
    }
    return Buffer.from(`${out.join('\n')}\n`);
  };
  return { ...command, probe: { requests: list.map((path) => ({ path, ...(algo ? { checksum: algo } : {}) })), render } };
}

/** Parse `pathInfoCommand` output: the umask and one FileState per path, in order. */
export function parsePathInfo(result: ExecResult, count: number): { umask: number; infos: FileState[] } {
  const out = result.stdout;
  let at = 0;
  const line = (): string | undefined => {
    if (at >= out.length) return undefined;
    const nl = out.indexOf('\n', at);
    const end = nl < 0 ? out.length : nl;
    const text = out.slice(at, end);
    at = end + 1;
    return text;
  };
  const fail = (what: string): never => {
    throw new ModuleError(`unexpected stat output: ${what} (${result.stderr.trim()})`);
  };
  const umask = parseInt(line() ?? '022', 8);
  const infos: FileState[] = [];
  while (infos.length < count) {
    const l = line();
    if (l === undefined) break;
    if (l === '-') {
      infos.push(MISSING);
      continue;
    }
    if (!l.startsWith('R|')) continue;
    const f = l.split('|');
    if (f.length !== 14) fail(JSON.stringify(l));
    let target: string | undefined;
    if (f[1] === 'link') {
      // `L<target>\n\0\n`: the target ends at the NUL (readlink's newline dropped)
      const end = out.indexOf('\0', at);
      if (out[at] !== 'L' || end < 0) fail(`no link target after ${JSON.stringify(l)}`);
      target = out.slice(at + 1, end).replace(/\n$/, '');
      at = end + 2;
    }
    infos.push({
      exists: true,
      type: f[1] as FileState['type'],
      mode: f[2]!.padStart(4, '0'),
      uid: Number(f[3]),
      gid: Number(f[4]),
      owner: f[5],
      group: f[6],
      size: Number(f[7]),
      inode: Number(f[8]),
      dev: Number(f[9]),
      nlink: Number(f[10]),
      mtime: Number(f[11]),
      ...(f[12] ? { checksum: f[12] } : {}),
      ...(target !== undefined ? { target } : {}),
      resolvesToDir: f[13] === '1',
    });
  }
  if (infos.length !== count) {
    throw new ModuleError(`stat of ${count} path(s) returned ${infos.length} record(s): ${result.stderr.trim()}`);
  }
  return { umask: Number.isNaN(umask) ? 0o022 : umask, infos };
}
