import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatMode, resolveMode, validateMode } from './mode.js';

const SYMBOLIC = [
  'u+x', 'g-w', 'o=r', 'u+x,g-w,o=r', 'u=rwX,g=rX,o=', 'a+X', 'a-x', '+x', '-w', '=r', 'go=', 'u=rw,go=r',
  'u+s', 'g+s', '+t', 'o+t', 'u-s,g-s', 'g=u', 'o=g', 'u+x,g=u', 'a=r,u+w', 'ug+rw,o-rwx', 'u=rwx,g=rx,o=x',
  'a+rwx,g-w,o-wx', 'u+r-w', 'g+X', 'o-X', 'u=g,g=o', 'ugo+w', 'a=', 'u+rwxs,g+rwxs,o+rwxt',
];
const STARTS = [0o644, 0o600, 0o755, 0o700, 0o000, 0o4755, 0o1777, 0o640, 0o711];

/** What a real chmod binary gives, under umask 022. */
function realChmod(bin: string[], start: number, mode: string, dir: boolean): number {
  const root = mkdtempSync(join(tmpdir(), 'shipshape-mode-'));
  const p = join(root, 'x');
  if (dir) mkdirSync(p);
  else writeFileSync(p, '');
  chmodSync(p, start);
  execFileSync('/bin/sh', ['-c', 'umask 022; exec "$@"', 'sh', ...bin, '--', mode, p]);
  return statSync(p).mode & 0o7777;
}

describe('symbolic modes resolve exactly like chmod(1)', () => {
  // GNU coreutils is the reference; only octal modes are ever sent to hosts, so busybox's applet does not matter
  for (const [name, bin] of [['GNU chmod', ['chmod']]] as const) {
    it(`matches ${name} for ${SYMBOLIC.length} expressions x ${STARTS.length} start modes, files and directories`, () => {
      const mismatches: string[] = [];
      for (const mode of SYMBOLIC) {
        for (const start of STARTS) {
          for (const dir of [false, true]) {
            const want = realChmod([...bin], start, mode, dir);
            const got = resolveMode(mode, start, dir, 0o022);
            if (got !== want) mismatches.push(`${mode} on ${dir ? 'dir' : 'file'} ${formatMode(start)}: chmod ${formatMode(want)}, ours ${formatMode(got)}`);
          }
        }
      }
      expect(mismatches).toEqual([]);
    });
  }
});

describe('mode arguments', () => {
  it('accepts octal strings and numbers', () => {
    expect(resolveMode('644', 0, false)).toBe(0o644);
    expect(resolveMode('0755', 0, false)).toBe(0o755);
    expect(resolveMode(0o600, 0, false)).toBe(0o600);
  });
  it('rejects bad modes naming the value', () => {
    expect(() => validateMode('u+q')).toThrow('bad symbolic permission for mode: "u+q"');
    expect(() => validateMode('rwx')).toThrow('"rwx"');
    expect(() => validateMode('z=r')).toThrow('"z=r"');
    expect(() => validateMode(0o17777)).toThrow('bad mode');
    expect(() => validateMode('17777')).toThrow('bad mode');
  });
});
