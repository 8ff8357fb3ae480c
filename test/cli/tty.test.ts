import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startLab, type Lab } from '@shipshape/testlab';

const BIN = join(process.cwd(), 'packages/cli/dist/bundle/bin.js');
const SESSION = 'shipshape-tty-test';
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ id: 77, hosts: [{ name: 'cli1' }, { name: 'cli2' }] });
});
afterAll(async () => {
  spawnSync('tmux', ['kill-session', '-t', SESSION]);
  await lab?.stop();
});

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });

describe('the TTY renderer', () => {
  it('shows each task with per-host results under a pseudo-terminal, then the recap', () => {
    // `tmux wait-for` blocks until the command signals it finished: no polling, no sleeps.
    const cmd = `node ${BIN} run test/cli/fixtures/mixed.ts -i ${lab.inventoryPath}; echo "EXIT=$?"; tmux wait-for -S ${SESSION}-done; sleep 600`;
    tmux('new-session', '-d', '-s', SESSION, '-x', '120', '-y', '50', '-c', process.cwd(), cmd);
    tmux('wait-for', `${SESSION}-done`);
    const screen = tmux('capture-pane', '-p', '-t', SESSION);
    expect(screen).toContain('EXIT=2');
    expect(screen).toMatch(/✔ TASK \[copy\] +changed=2/);
    expect(screen).toMatch(/TASK \[fail on the second host\]/);
    expect(screen).toMatch(/✖ cli2: command failed on cli2 \(rc=3\)/);
    expect(screen).toMatch(/PLAY RECAP/);
    expect(screen).toMatch(/cli2 +: ok=1 +changed=1 +unreachable=0 +failed=1/);
    // Finished tasks collapse: no per-host line is left for the successful copy task.
    expect(screen).not.toMatch(/changed: cli1/);
  });
});
