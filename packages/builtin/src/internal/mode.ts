/**
 * File modes as Ansible's file/copy modules take them: an octal string ('0644', '644'), a number
 * (the mode bits themselves, as YAML's 0644 gives), or a symbolic chmod expression
 * ('u+x,g-w,o=r', 'u=rwX,go=rX'). Symbolic modes are resolved as chmod(1) does: clauses apply in
 * order, each seeing the mode the previous ones produced (so `u+x,g=u` copies the new user bits),
 * an empty "who" respects the umask, `=` keeps a directory's setuid/setgid bits unless `s` is
 * given (GNU chmod; verified against coreutils in mode.test.ts; busybox's chmod applet differs, but
 * we only ever send the resolved octal mode). Ansible 2.14 reads `X` and `g=u` against the original mode
 * instead; the two agree except when a later clause copies or tests bits an earlier one changed.
 */
import { ArgumentError } from '@shipshape/core';

export type ModeArg = string | number;

const PERM_BITS = 0o7777;
const S_ISUID = 0o4000;
const S_ISGID = 0o2000;
const S_ISVTX = 0o1000;

/** Mode bits as a 4-digit octal string: 420 -> '0644'. */
export function formatMode(bits: number): string {
  return (bits & PERM_BITS).toString(8).padStart(4, '0');
}

/** Check a mode argument early so a bad one fails before any host is touched. */
export function validateMode(mode: ModeArg, field = 'mode'): void {
  if (typeof mode === 'number') {
    if (!Number.isInteger(mode) || mode < 0 || mode > PERM_BITS) {
      throw new ArgumentError(`${field}: bad mode ${mode}: expected 0..0o7777`, field, mode);
    }
    return;
  }
  if (/^[0-7]+$/.test(mode)) {
    if (parseInt(mode, 8) > PERM_BITS) throw new ArgumentError(`${field}: bad mode "${mode}"`, field, mode);
    return;
  }
  resolveMode(mode, 0o644, false, 0o022, field);
}

/**
 * The mode bits `mode` gives a path whose current bits are `current`.
 * @param isDir directory (for the X permission)
 * @param umask the remote umask (used only for symbolic clauses without who, like chmod)
 */
export function resolveMode(mode: ModeArg, current: number, isDir: boolean, umask = 0o022, field = 'mode'): number {
  if (typeof mode === 'number') return mode & PERM_BITS;
  if (/^[0-7]+$/.test(mode)) return parseInt(mode, 8) & PERM_BITS;
  const bad = (clause: string): never => {
    throw new ArgumentError(`${field}: bad symbolic permission for mode: "${clause}"`, field, mode);
  };
  let next = current & PERM_BITS;
  for (const clause of mode.split(',')) {
    const opers = clause.match(/[+=-]/g) ?? [];
    const parts = clause.split(/[+=-]/);
    let users = parts.shift() ?? '';
    if (opers.length === 0) bad(clause);
    const useUmask = users === '';
    if (users === 'a' || users === '') users = 'ugo';
    if (!/^[ugo]+$/.test(users)) bad(clause);
    parts.forEach((perms, i) => {
      if (!/^[rwxXstugo]*$/.test(perms)) bad(clause);
      for (const user of users as 'u' | 'g' | 'o') {
        const apply = permBits(user as 'u' | 'g' | 'o', perms, next, isDir, useUmask, umask);
        next = applyOperation(user as 'u' | 'g' | 'o', opers[i] as '+' | '-' | '=', apply, next, isDir && !perms.includes('s'));
      }
    });
  }
  return next;
}

function permBits(user: 'u' | 'g' | 'o', perms: string, prev: number, isDir: boolean, useUmask: boolean, umask: number): number {
  const shift = { u: 6, g: 3, o: 0 }[user];
  const rev = useUmask ? ~umask & PERM_BITS : PERM_BITS;
  const applyX = isDir || (prev & 0o111) > 0;
  let bits = 0;
  for (const p of perms) {
    switch (p) {
      case 'r': bits |= rev & (0o4 << shift); break;
      case 'w': bits |= rev & (0o2 << shift); break;
      case 'x': bits |= rev & (0o1 << shift); break;
      case 'X': if (applyX) bits |= 0o1 << shift; break;
      case 's': bits |= user === 'u' ? S_ISUID : user === 'g' ? S_ISGID : 0; break;
      case 't': bits |= user === 'o' ? S_ISVTX : 0; break;
      default: {
        // copy another class's bits (u, g, o) from the mode so far
        const from = { u: 6, g: 3, o: 0 }[p as 'u' | 'g' | 'o'];
        bits |= ((prev >> from) & 0o7) << shift;
      }
    }
  }
  return bits;
}

/** `keepSetId`: chmod(1) keeps a directory's setuid/setgid bits on `=` unless `s` is mentioned. */
function applyOperation(user: 'u' | 'g' | 'o', op: '+' | '-' | '=', apply: number, current: number, keepSetId: boolean): number {
  if (op === '+') return current | apply;
  if (op === '-') return current & ~apply;
  const mask = { u: 0o700 | (keepSetId ? 0 : S_ISUID), g: 0o070 | (keepSetId ? 0 : S_ISGID), o: 0o007 | S_ISVTX }[user];
  return (current & (mask ^ PERM_BITS)) | apply;
}
