import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { sh } from '../command.js';
import { batchCommand } from './prefetch.js';

describe('batched reads', () => {
  it('frames each command output, binary-safe, and keeps only successes', () => {
    const cmds = [sh`printf 'no newline'`, sh`printf 'a\\nb\\n\\0\\377'`, sh`false`, sh`echo ok; echo err >&2`];
    const b = batchCommand(cmds);
    const out = execFileSync('sh', ['-c', b.command.text]);
    const m = b.parse(out);
    expect(m.get(cmds[0]!.text)!.stdout).toBe('no newline');
    expect(m.get(cmds[1]!.text)!.stdoutBytes).toEqual(Buffer.from('a\nb\n\0\xff', 'latin1'));
    expect(m.has(cmds[2]!.text)).toBe(false);
    expect(m.get(cmds[3]!.text)!.stdout).toBe('ok\n');
  });

  it('a command that exits ends the batch: what follows is not cached (it runs live later)', () => {
    const cmds = [sh`echo one`, sh`exit 0`, sh`echo three`];
    const b = batchCommand(cmds);
    const m = b.parse(execFileSync('sh', ['-c', b.command.text]));
    expect([...m.keys()]).toEqual([cmds[0]!.text]);
  });
});
