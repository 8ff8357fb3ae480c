import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReadFile, readFileCommand, writeFileCommand } from './file-commands.js';

// The commands are POSIX sh; run them with busybox sh where available (what ESXi has), else sh.
const SHELL = spawnSync('busybox', ['true']).status === 0 ? ['busybox', 'sh'] : ['sh'];
const runSh = (text: string, input?: string | Buffer) =>
  spawnSync(SHELL[0]!, [...SHELL.slice(1), '-c', text], { input });

describe('atomic write command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ss-write-'));

  it('prints the new file as a read would print it, so the next read needs no round trip', () => {
    const head = (p: string) => runSh(readFileCommand(p).text).stdout.toString().split('\n')[0];
    const cases: [string, Parameters<typeof writeFileCommand>[1], (p: string) => void][] = [
      ['new', {}, () => undefined],
      ['kept-mode', {}, (p) => writeFileSync(p, 'old\n', { mode: 0o640 })],
      ['mode-option', { mode: '0600' }, (p) => writeFileSync(p, 'old\n')],
      ['numeric-owner', { owner: '0', group: '0' }, () => undefined],
      ['sticky', { mode: 0o1755 }, () => undefined],
    ];
    for (const [name, opts, setup] of cases) {
      const p = join(dir, `state-${name}`);
      setup(p);
      const r = runSh(writeFileCommand(p, opts, 4).text, 'new\n');
      expect(r.status).toBe(0);
      expect({ name, state: /^state=(.*)$/m.exec(r.stdout.toString())?.[1] }).toEqual({ name, state: head(p) });
    }
  });

  it('a write over a known state (the cached read) needs only mv, keeps mode and owner, and prints the state a read prints', () => {
    const head = (p: string) => runSh(readFileCommand(p).text).stdout.toString().split('\n')[0];
    const cases: [string, Parameters<typeof writeFileCommand>[1], number, boolean][] = [
      ['kept-0640', {}, 0o640, true],
      ['kept-0600-mode-option', { mode: '0644' }, 0o600, true],
      ['numeric-owner-matches', { owner: '0', group: '0' }, 0o644, true],
      ['other-owner', {}, 0o644, true],
      ['exec-bit', {}, 0o755, false],
      ['owner-change', { owner: '1' }, 0o644, false],
    ];
    for (const [name, opts, mode, fast] of cases) {
      const p = join(dir, `known-${name}`);
      writeFileSync(p, 'old\n', { mode });
      if (name === 'other-owner') chownSync(p, 1, 1);
      const known = parseReadFile(runSh(readFileCommand(p).text).stdout);
      const command = writeFileCommand(p, opts, 4, Buffer.from('new\n'), known);
      expect({ name, stat: command.text.includes('stat ') && !command.text.includes("stat -L -c '%u:%g'") }).toEqual({ name, stat: !fast });
      const r = runSh(command.text);
      expect({ name, status: r.status, err: r.stderr.toString() }).toEqual({ name, status: 0, err: '' });
      expect(readFileSync(p, 'utf8')).toBe('new\n');
      expect({ name, state: /^state=(.*)$/m.exec(r.stdout.toString())?.[1] }).toEqual({ name, state: head(p) });
      const st = statSync(p);
      expect({ name, mode: st.mode & 0o7777, uid: st.uid }).toEqual({ name, mode: opts?.mode ? 0o644 : mode, uid: name === 'other-owner' ? 1 : opts?.owner === '1' ? 1 : 0 });
    }
    expect(readdirSync(dir).filter((f) => f.startsWith('.shipshape'))).toEqual([]);
  });

  it('inline content (printf builtin) writes every byte value exactly, in busybox sh, dash and bash', () => {
    const all = Buffer.from([...Array(256).keys()]);
    const samples = [all, Buffer.from('-n leading dash\n'), Buffer.from('%s %d \\n \\0101 \'quoted\' $(x)`y`'), Buffer.from(''), Buffer.from('\0' + '1')];
    for (const shell of [runSh, (text: string) => spawnSync('dash', ['-c', text]), (text: string) => spawnSync('bash', ['-c', text])]) {
      samples.forEach((bytes, i) => {
        const p = join(dir, `inline-${i}`);
        const r = shell(writeFileCommand(p, {}, bytes.length, bytes).text);
        expect(r.status).toBe(0);
        expect(readFileSync(p)).toEqual(bytes);
      });
    }
  });

  it('creates missing parent directories only when asked', () => {
    const p = join(dir, 'a b', 'c', 'f');
    const refused = runSh(writeFileCommand(p, {}, 2).text, 'x\n');
    expect(refused.status).toBe(3);
    expect(refused.stderr.toString()).toContain('does not exist');
    expect(runSh(writeFileCommand(p, { createParents: true }, 2).text, 'x\n').status).toBe(0);
    expect(readFileSync(p, 'utf8')).toBe('x\n');
  });

  it('keeps the original mode, writes the bytes and leaves no temp file', () => {
    const p = join(dir, "it's a file");
    writeFileSync(p, 'old\n', { mode: 0o640 });
    const r = runSh(writeFileCommand(p, {}, 4).text, 'new\n');
    expect(r.status).toBe(0);
    expect(readFileSync(p, 'utf8')).toBe('new\n');
    expect((statSync(p).mode & 0o777).toString(8)).toBe('640');
    expect(readdirSync(dir).filter((f) => f.startsWith('.shipshape'))).toEqual([]);
  });

  it('refuses a short write (connection cut mid-transfer) and keeps the old file', () => {
    const p = join(dir, 'short');
    writeFileSync(p, 'intact\n');
    const r = runSh(writeFileCommand(p, {}, 100).text, 'partial');
    expect(r.status).toBe(3);
    expect(readFileSync(p, 'utf8')).toBe('intact\n');
    expect(readdirSync(dir).filter((f) => f.startsWith('.shipshape'))).toEqual([]);
  });

  it('does not replace the file when validate fails', () => {
    const p = join(dir, 'validated');
    writeFileSync(p, 'good\n');
    const r = runSh(writeFileCommand(p, { validate: 'grep -q good %s' }, 4).text, 'bad\n');
    expect(r.status).toBe(4);
    expect(readFileSync(p, 'utf8')).toBe('good\n');
  });

  it('reads content and metadata in one command', () => {
    const p = join(dir, 'meta');
    writeFileSync(p, Buffer.from([0, 1, 2, 10, 255]), { mode: 0o600 });
    const st = parseReadFile(execFileSync(SHELL[0]!, [...SHELL.slice(1), '-c', readFileCommand(p).text]));
    expect(st).toMatchObject({ exists: true, type: 'file', mode: '0600' });
    expect(st.content).toEqual(Buffer.from([0, 1, 2, 10, 255]));
    expect(parseReadFile(execFileSync('sh', ['-c', readFileCommand(join(dir, 'missing')).text]))).toEqual({ exists: false });
  });
});
