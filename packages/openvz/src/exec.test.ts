import { describe, expect, it } from '@jest/globals';
import { sh } from '@shipshape/core';
import { execFailure, interpretExec, vzctlExecCommand } from './exec.js';

describe('vzctl exec/exec2 exit codes (docs/platforms/openvz.md)', () => {
  it.each([
    ['exec', 0, '', { rc: 0, commandRc: 0, notRunning: false }, undefined],
    ['exec', 8, 'boom\n', { rc: 8, commandRc: undefined, notRunning: false }, "the command failed in CT 101 (vzctl exec exit 8 means any failure; use mode 'exec2' for the command's own status): boom"],
    ['exec', 8, 'Container is not running\n', { rc: 8, notRunning: true }, 'CT 101 is not running (vzctl exec exit 8)'],
    ['exec2', 3, '', { rc: 3, commandRc: 3, notRunning: false }, 'the command exited 3 in CT 101'],
    ['exec2', 31, 'Container is not running\n', { rc: 31, commandRc: undefined, notRunning: true }, 'CT 101 is not running (vzctl exec2 exit 31)'],
    ['exec2', 31, 'my own 31\n', { rc: 31, commandRc: 31, notRunning: false }, 'the command exited 31 in CT 101: my own 31'],
  ] as Array<['exec' | 'exec2', number, string, Record<string, unknown>, string | undefined]>)('%s rc=%d %j', (mode, code, stderr, want, failure) => {
    const r = interpretExec(mode, { code, stdout: '', stderr });
    expect(r).toMatchObject(want);
    expect(execFailure(101, mode, r)).toBe(failure);
  });

  it('passes the container command as one quoted argument', () => {
    expect(vzctlExecCommand(101, "echo it's").text).toBe(`vzctl exec2 101 'echo it'\\''s'`);
    expect(vzctlExecCommand(101, ['printf', '%s', 'a b'], 'exec').text).toBe(`vzctl exec 101 'printf %s '\\''a b'\\'''`);
    expect(vzctlExecCommand(101, sh`test -e ${'/x y'}`).text).toBe(`vzctl exec2 101 'test -e '\\''/x y'\\'''`);
  });
});
