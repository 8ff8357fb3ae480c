import { pathArg, raw, script, sh, type Command } from '../command.js';
import { ArgumentError } from '../errors.js';
import type { FileState, WriteFileOptions } from '../types.js';
import { shlexSplit } from './shlex.js';

/** One round trip: a meta line (`missing` | `<type> <mode> <owner> <group> <uid> <gid>`), then the bytes. */
export function readFileCommand(path: string): Command {
  const command = sh`p=${pathArg(path)}; if [ -e "$p" ]; then if [ -d "$p" ]; then stat -L -c 'directory %a %U %G %u %g' -- "$p"; else stat -L -c 'file %a %U %G %u %g' -- "$p" && cat -- "$p"; fi; else echo missing; fi`;
  return {
    ...command,
    contained: true,
    probe: {
      requests: [{ path, content: true }],
      render: ([p]) => {
        if (!p?.exists) return Buffer.from('missing\n');
        const [mode, uid, gid, owner, group] = p.stat!.split('|');
        const meta = `${mode} ${owner} ${group} ${uid} ${gid}`;
        if (p.isDir) return Buffer.from(`directory ${meta}\n`);
        // Anything else (a device, an unreadable file) is read live, with its real error.
        if (!p.isFile || !p.content) return undefined;
        return Buffer.concat([Buffer.from(`file ${meta}\n`), p.content]);
      },
    },
  };
}

export function parseReadFile(bytes: Buffer): FileState {
  const nl = bytes.indexOf(10);
  const head = bytes.subarray(0, nl < 0 ? bytes.length : nl).toString('utf8').trim();
  if (head === 'missing' || head === '') return { exists: false };
  const [type, mode, owner, group, uid, gid] = head.split(' ');
  const ids = uid !== undefined && gid !== undefined ? { uid: Number(uid), gid: Number(gid) } : {};
  const base = { exists: true, mode: normalizeMode(mode ?? ''), owner, group, ...ids };
  if (type === 'directory') return { ...base, type: 'directory' };
  return { ...base, type: 'file', content: bytes.subarray(nl + 1) };
}

/** Whether a wanted owner/group (name or numeric id) matches the live name/id. */
export function sameId(want: string, name: string | undefined, id: number | undefined): boolean {
  return want === name || (/^\d+$/.test(want) && Number(want) === id);
}

/** '644' | 420 | '0644' → '0644'. */
export function normalizeMode(mode: string | number): string {
  const s = typeof mode === 'number' ? mode.toString(8) : mode.replace(/^0o/, '');
  if (!/^[0-7]{1,4}$/.test(s)) throw new ArgumentError(`mode ${JSON.stringify(mode)} is not an octal mode like '0644'`, 'mode', mode);
  return s.padStart(4, '0');
}

/** Turn a validate template ('sshd -t -f %s') into a command run against the temp file "$t". */
export function validateCommand(template: string): Command {
  if (!template.includes('%s')) {
    throw new ArgumentError(`validate must contain %s: ${JSON.stringify(template)}`, 'validate', template);
  }
  const argv = shlexSplit(template).map((word) => {
    const parts = word.split('%s');
    return raw(parts.map((p) => sh`${p}`.text).join('"$t"'));
  });
  return { text: argv.map((a) => a.text).join(' '), display: argv.map((a) => a.text).join(' ') };
}

/**
 * Atomic write, content on stdin: temp file in the same directory, original's mode and owner kept,
 * requested mode/owner applied, size checked, optional validate and backup, then rename. Prints `backup=<path>`
 * (with backup) and `state=file <mode> <owner> <group> <uid> <gid>`: the new file's meta line as `readFileCommand` prints it.
 */
/** Up to this size a write carries its bytes in the command itself (printf, a shell builtin) instead of on stdin. */
export const INLINE_WRITE_MAX = 16 * 1024;

/** A printf format that prints exactly these bytes: printable ASCII as is, the rest as octal escapes. */
export function printfFormat(bytes: Buffer): string {
  let out = '';
  for (const b of bytes) {
    // A leading '-' would read as an option.
    if (out === '' && b === 0x2d) out += '\\055';
    else if (b === 0x25) out += '%%';
    else if (b === 0x5c) out += '\\\\';
    else if ((b >= 0x20 && b < 0x7f) || b === 0x0a) out += String.fromCharCode(b);
    else out += `\\${b.toString(8).padStart(3, '0')}`;
  }
  return out;
}

/**
 * With `content`, the bytes travel inside the command (printf builtin, no `cat`): the shell runs the
 * command only once it has all of it, so a cut connection cannot leave a short file. Without, they come
 * on stdin (any size).
 */
export function writeFileCommand(path: string, options: WriteFileOptions = {}, size?: number, content?: Buffer, known?: FileState): Command {
  const fast = content !== undefined && known !== undefined ? knownStateWrite(path, options, content, known) : undefined;
  if (fast) return fast;
  // Few processes on purpose (cat, stat, mv, chmod/chown only when needed): on small hosts every
  // fork counts, and a playbook's first run is mostly writes.
  const steps: Command[] = [
    ...writePrologue(path, options),
    // Created private (umask 077, or mktemp's 0600): not a byte is readable by others before the final chmod.
    createTemp('0077'),
    content === undefined ? script(`cat >> "$t" || exit 3`) : sh`printf ${printfFormat(content)} >> "$t" || exit 3`,
    // m and o: the new file's mode and owner names, printed at the end (the host caches the new state); c: the temp file's mode.
    script(
      `if [ -e "$p" ]; then set -- $(stat -L -c '%a %u:%g %s %U %G' -- "$p" "$t") || exit 3; ` +
        `[ "$2" = "$7" ] || chown "$2" "$t" || exit 3; s=$8; m=$1; c=$6; o="$4 $5 \${2%:*} \${2#*:}"; ` +
        `else set -- $(stat -c '%a %s %U %G %u %g' -- "$t") || exit 3; s=$2; m=644; c=$1; o="$3 $4 $5 $6"; fi`,
    ),
    // A connection cut mid-transfer ends stdin early: never rename a short file into place.
    ...(size === undefined ? [] : [sh`[ "$s" -eq ${size} ] || { echo "short write: expected ${size} bytes, got $s" >&2; exit 3; }`]),
  ];
  if (options.mode !== undefined) steps.push(sh`m=${parseInt(normalizeMode(options.mode), 8).toString(8)}`);
  if (options.owner !== undefined) steps.push(sh`chown ${options.owner} "$t" || exit 3`);
  if (options.group !== undefined) steps.push(sh`chgrp ${options.group} "$t" || exit 3`);
  // One chmod, after every chown (which may clear set-id bits), to the final mode: the old file's or the requested one.
  steps.push(script(`[ "$m" = "$c" ] || chmod "$m" "$t" || exit 3`));
  steps.push(...writeEpilogue(options));
  // What a read of the path now prints first (named owner/group: ask stat, which prints names).
  const owned = options.owner !== undefined || options.group !== undefined;
  steps.push(script(owned ? `stat -L -c 'state=file %a %U %G %u %g' -- "$p"` : 'echo "state=file $m $o"'));
  return writeCommand(path, steps, options);
}

/** The write's steps as one command: contained unless a validate command (the user's) runs in it. */
function writeCommand(path: string, steps: readonly Command[], options: WriteFileOptions): Command {
  return { text: steps.map((s) => s.text).join('\n'), display: `write ${sh`${path}`.display}`, contained: !options.validate };
}

/** Resolve a symlinked path ($p), find its directory ($d), create it or fail. */
function writePrologue(path: string, options: WriteFileOptions): Command[] {
  return [
    sh`p=${pathArg(path)}; [ -L "$p" ] && p=$(readlink -f -- "$p")`,
    script(`case $p in */*) d=\${p%/*}; d=\${d:-/} ;; *) d=. ;; esac`),
    script(options.createParents ? `[ -d "$d" ] || mkdir -p -- "$d" || exit 3` : `[ -d "$d" ] || { echo "destination directory $d does not exist" >&2; exit 3; }`),
  ];
}

/**
 * Create the temp file $t in $d, removed again on any exit but the rename, under `umask` (so it has its final
 * or a stricter mode before the first byte). Its name, `.shipshape.<pid of the writing shell>.tmp` (or
 * `.<pid>.XXXXXX` by mktemp when taken), lets a later write in the same directory remove what a writer
 * that died left behind (killed, its connection cut): only regular files of ours, not links, whose
 * writer's pid is gone, and only in this directory.
 */
function createTemp(umask: string, mktempMode = '0600'): Command {
  return script(
    `for f in "$d"/.shipshape.*; do x=\${f##*/.shipshape.}; n=\${x%%.*}; case $n in ''|*[!0-9]*) continue ;; esac; ` +
      `case $x in "$n.tmp"|"$n".??????) ;; *) continue ;; esac; ` +
      `[ -f "$f" ] && [ ! -L "$f" ] && [ -O "$f" ] && ! kill -0 "$n" 2>/dev/null && rm -f -- "$f"; done\n` +
      // t stays empty until the file is ours: the EXIT trap never removes another writer's file.
      `t=; trap 'rm -f "$t"' EXIT; trap 'exit 3' INT TERM HUP PIPE; umask ${umask}; set -C; ` +
      `if { : > "$d/.shipshape.$$.tmp"; } 2>/dev/null; then t="$d/.shipshape.$$.tmp"; ` +
      `else t=$(mktemp "$d/.shipshape.$$.XXXXXX") || exit 3; ${mktempMode === '0600' ? '' : `chmod ${mktempMode} "$t" || exit 3; `}fi; set +C`,
  );
}

/** Validate and back up ($t is the new file, $p the target), then rename into place. */
function writeEpilogue(options: WriteFileOptions): Command[] {
  const steps: Command[] = [];
  if (options.validate) {
    const v = validateCommand(options.validate);
    steps.push(script(`${v.text} || { echo "validation failed: ${'$?'}" >&2; exit 4; }`));
  }
  if (options.backup) {
    steps.push(
      script(
        `if [ -e "$p" ]; then b="$p.$$.$(date +%Y-%m-%d@%H:%M:%S)~"; cp -p -- "$p" "$b" || exit 3; echo "backup=$b"; fi`,
      ),
    );
  }
  steps.push(script(`mv -f -- "$t" "$p" || exit 3; trap - EXIT`));
  return steps;
}

/**
 * The write of a file whose state the plan read (its cached read: mode, owner and group with ids):
 * the temp file gets the mode from the umask it is created with and its owner by being created,
 * checked with the shell's own `[ -O ]`/`[ -G ]`, so only `mv` is a process. Undefined when that
 * cannot hold (mode bits a umask cannot give, another owner asked for): the general write does it.
 * (A directory's default ACL would override the umask, as it does for every file created there.)
 * Inline content only: the shell runs the command once it has all of it, so no size check is needed.
 */
function knownStateWrite(path: string, options: WriteFileOptions, content: Buffer, known: FileState): Command | undefined {
  if (!known.exists || known.type !== 'file' || !known.mode || known.uid === undefined || known.gid === undefined) return undefined;
  if ((options.owner !== undefined && !sameId(options.owner, known.owner, known.uid)) || (options.group !== undefined && !sameId(options.group, known.group, known.gid))) return undefined;
  const mode = parseInt(options.mode !== undefined ? normalizeMode(options.mode) : known.mode, 8);
  if (mode & ~0o666) return undefined;
  const umask = (0o777 & ~mode).toString(8).padStart(4, '0');
  const steps: Command[] = [
    ...writePrologue(path, options),
    createTemp(umask, mode.toString(8).padStart(4, '0')),
    sh`printf ${printfFormat(content)} >> "$t" || exit 3`,
    // Owned by us and our group like the original: nothing to copy; else copy its ids (stat, chown).
    script(`s=; { [ -O "$p" ] && [ -G "$p" ] && [ -G "$t" ]; } || { s=$(stat -L -c '%u:%g' -- "$p") && chown "$s" "$t"; } || exit 3`),
    ...writeEpilogue(options),
    sh`echo ${`state=file ${mode.toString(8)} ${known.owner} ${known.group} ${known.uid} ${known.gid}`}`,
  ];
  return writeCommand(path, steps, options);
}
