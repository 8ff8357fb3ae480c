import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { script, sh } from '../command.js';
import type { Change } from '../types.js';
import { mergeExecs } from './execute.js';

describe('consecutive commands of one plan run in one round trip', () => {
  const exec = (text: string, paths?: string[]): Change => ({ kind: 'exec', command: script(text), ...(paths ? { paths } : {}) });

  it('merges neighbouring commands, not writes or commands with stdin, and keeps what they touch', () => {
    const write: Change = { kind: 'write', path: '/a', content: 'x' };
    const fed: Change = { kind: 'exec', command: sh`cat`, stdin: 'in' };
    const merged = mergeExecs([exec('mkdir -p /a', ['/a']), exec('chmod 0750 /a', ['/a']), write, exec('true'), fed, exec('x', ['/b']), exec('y')]);
    expect(merged.map((c) => c.kind === 'exec' ? c.command.display : c.kind)).toEqual(['mkdir -p /a && chmod 0750 /a', 'write', 'true', 'cat', 'x && y']);
    expect((merged[0] as Change & { kind: 'exec' }).paths).toEqual(['/a', '/a']);
    // One of them touches anything: so does the merged command.
    expect((merged[4] as Change & { kind: 'exec' }).paths).toBeUndefined();
  });

  it('the first failure stops the rest, even when a command has its own ; and ||', () => {
    const [m] = mergeExecs([exec('echo one; false'), exec('echo two || true')]);
    const r = spawnSync('sh', ['-c', (m as Change & { kind: 'exec' }).command.text], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('one\n');
    const [ok] = mergeExecs([exec('echo one || false'), exec('echo two; true')]);
    expect(spawnSync('sh', ['-c', (ok as Change & { kind: 'exec' }).command.text], { encoding: 'utf8' }).stdout).toBe('one\ntwo\n');
  });
});
