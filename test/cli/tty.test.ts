import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLab, type Lab } from '@shipshape/testlab';

const BIN = join(process.cwd(), 'packages/cli/dist/bundle/bin.js');
const SESSION = 'shipshape-tty-test';
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ id: 77, hosts: [{ name: 'cli1' }, { name: 'cli2' }] });
});
afterAll(async () => {
  await lab?.stop();
});

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });

/** Run shell text in a detached tmux pane and return the screen once it has finished. */
function screenOf(session: string, shellText: string): string {
  // `tmux wait-for` blocks until the command signals it finished: no polling, no sleeps.
  tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '50', '-c', process.cwd(), `${shellText}; echo "EXIT=$?"; tmux wait-for -S ${session}-done; sleep 600`);
  tmux('wait-for', `${session}-done`);
  try {
    return tmux('capture-pane', '-p', '-t', session);
  } finally {
    spawnSync('tmux', ['kill-session', '-t', session]);
  }
}

describe('the TTY renderer', () => {
  it('shows each task with per-host results under a pseudo-terminal, then the recap', () => {
    const screen = screenOf(SESSION, `node ${BIN} run test/cli/fixtures/mixed.ts -i ${lab.inventoryPath}`);
    expect(screen).toContain('EXIT=2');
    expect(screen).toMatch(/✔ TASK \[copy\] +changed=2/);
    expect(screen).toMatch(/TASK \[fail on the second host\]/);
    expect(screen).toMatch(/✖ cli2: command failed on cli2 \(rc=3\)/);
    expect(screen).toMatch(/PLAY RECAP/);
    expect(screen).toMatch(/cli2 +: ok=1 +changed=1 +unreachable=0 +failed=1/);
    // Finished tasks collapse: no per-host line is left for the successful copy task.
    expect(screen).not.toMatch(/changed: cli1/);
  });

  it('on a terminal that reports 0 columns: 80-column lines, PLAY headers, ignored failures marked failed, not ticked', () => {
    // `stty cols 0`: what `script`, CI runners and serial consoles report.
    const screen = screenOf(`${SESSION}-cols0`, `stty cols 0; node ${BIN} run test/cli/fixtures/ignored.ts -i ${lab.inventoryPath}`);
    expect(screen).toContain('EXIT=0');
    expect(screen).toMatch(/^PLAY \[first play\] \*+$/m);
    expect(screen).toMatch(/^PLAY \[second play\] \*+$/m);
    expect(screen).toMatch(/^\S+ TASK \[fail but ignore\] +ignored=2$/m);
    expect(screen).toMatch(/^ +✖ cli1: command failed on cli1 \(rc=5\).* \.\.\.ignoring$/m);
    expect(screen).not.toMatch(/✔ .*cli1/);
    expect(screen).toMatch(/^cli1 +: ok=\d+ +changed=0 +unreachable=0 +failed=0 .* ignored=1 *$/m);
    // A character per line would leave no line longer than a few characters.
    expect(Math.max(...screen.split('\n').map((l) => l.trimEnd().length))).toBeGreaterThan(60);
  });

  it('--help wraps between words on a narrow terminal', () => {
    const screen = screenOf(`${SESSION}-help`, `stty cols 60; node ${BIN} adhoc --help`);
    expect(screen).toContain('EXIT=0');
    // A word cut in two ("patte" / "rns") is not a word of the CLI's own text or of yargs' labels.
    const known = new Set([...readFileSync('packages/cli/src/cli.ts', 'utf8').matchAll(/[A-Za-z]+/g)].map((m) => m[0]));
    for (const w of 'Show help boolean string array number count required Options Positionals'.split(' ')) known.add(w);
    const cut = [...screen.matchAll(/[A-Za-z]+/g)].map((m) => m[0]).filter((w) => !known.has(w));
    expect(cut).toEqual([]);
  });
});
