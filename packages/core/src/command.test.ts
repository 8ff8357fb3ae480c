import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cmd, quote, secret, sh } from './command.js';
import { becomeCommand } from './host.js';
import { shlexSplit } from './internal/shlex.js';

const shEcho = (text: string) => execFileSync('/bin/sh', ['-c', text]).toString();
const CASES = ['plain', 'a b', "it's", '"dq"', '$(id)', '`id`', 'a;b', 'l1\nl2', 'é 日本', '', '*', '-n', '\\', "'"];

describe('quoting for POSIX sh', () => {
  it.each(CASES)('printf %%s %j prints the bytes back', (value) => {
    expect(shEcho(sh`printf %s ${value}`.text)).toBe(value);
    expect(shEcho(`printf %s ${quote(value)}`)).toBe(value);
  });
  it('quotes each argv element and masks secrets in the display form', () => {
    const c = cmd('echo', secret('hunter 2'), ['x y', 'z']);
    expect(shEcho(c.text)).toBe('hunter 2 x y z\n');
    expect(c.display).toBe("echo ******** 'x y' z");
  });
});

describe('become', () => {
  it('passes a multi-line command to sudo as one argument (regression: it was spliced in raw)', () => {
    const inner = sh`p=${'/root/a file'}\necho "$p"`;
    const b = becomeCommand(inner, { enabled: true, password: secret('pw') });
    // Replace sudo by a stub that drops its options and runs the rest.
    const text = b.command.text.replace(/^sudo -H -S -p '' -u root -- /, '');
    expect(shEcho(text)).toBe('/root/a file\n');
    expect(b.stdinPrefix).toMatch(/^pw\n--ss-[0-9a-f]{24}\n$/);
    expect(b.command.display).not.toContain('pw\n');
  });
});

describe('shlexSplit (validate templates)', () => {
  it.each([
    ['sshd -t -f %s', ['sshd', '-t', '-f', '%s']],
    [`visudo -cf "%s"`, ['visudo', '-cf', '%s']],
    [`sh -c 'test -s %s'`, ['sh', '-c', 'test -s %s']],
    ['a\\ b c', ['a b', 'c']],
  ])('%s', (input, out) => expect(shlexSplit(input)).toEqual(out));
});
