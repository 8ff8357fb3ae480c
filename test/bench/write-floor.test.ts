import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a plain ES module of the bench, no types
import { writeScript } from '../../bench/write-floor.mjs';

// The write floor's command, run by this machine's /bin/sh on a scratch directory.
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const run = (script: string) => spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8' });

describe('the write floor script', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ss-write-floor-'));
  const tricky = `it's "$HOME" \\n \`id\` %s ü\nlast line without newline`;
  const state = {
    dirs: [{ path: join(dir, 'srv/a b'), mode: '750', uid: 0, gid: 0 }],
    files: [
      { path: join(dir, 'f1'), mode: '640', uid: 0, gid: 0, base64: b64(tricky) },
      { path: join(dir, 'srv/a b/f2'), mode: '600', uid: 0, gid: 0, base64: b64('') },
    ],
  };

  it('writes the bytes, modes and directories, and writes them again the same way', () => {
    for (let pass = 0; pass < 2; pass++) {
      const r = run(writeScript(state));
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
      expect(readFileSync(join(dir, 'f1'), 'utf8')).toBe(tricky);
      expect((statSync(join(dir, 'f1')).mode & 0o7777).toString(8)).toBe('640');
      expect(readFileSync(join(dir, 'srv/a b/f2'), 'utf8')).toBe('');
      expect((statSync(join(dir, 'srv/a b/f2')).mode & 0o7777).toString(8)).toBe('600');
      expect((statSync(join(dir, 'srv/a b')).mode & 0o7777).toString(8)).toBe('750');
    }
  });

  it('stops at a temp path that already exists instead of writing through it', () => {
    const victim = join(dir, 'victim');
    writeFileSync(victim, 'untouched');
    symlinkSync(victim, join(dir, 'f1.floor-tmp'));
    const r = run(writeScript(state));
    expect(r.status).not.toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe('untouched');
  });

  it('refuses bytes a command text cannot carry', () => {
    expect(() => writeScript({ dirs: [], files: [{ path: '/x', mode: '644', uid: 0, gid: 0, base64: b64(Buffer.from([0x61, 0, 0x62])) }] })).toThrow('/x is not NUL-free UTF-8');
  });
});
