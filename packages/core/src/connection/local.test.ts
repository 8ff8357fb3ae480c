import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { script } from '../command.js';
import { LocalConnection } from './local.js';

describe('the local connection', () => {
  it('runs a command with stdout, stderr, exit code and stdin as sh does', async () => {
    const c = new LocalConnection();
    expect(await c.exec(script('printf out; echo err >&2; exit 3'))).toMatchObject({ code: 3, stdout: 'out', stderr: 'err\n' });
    expect(await c.exec(script('cat; exit 1'), { stdin: 'in\n' })).toMatchObject({ code: 1, stdout: 'in\n' });
    expect((await c.exec(script('echo "$X"'), { env: { X: 'a b' } })).stdout).toBe('a b\n');
  });

  it('is done when the command has exited, though a job it left holds its stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ss-local-'));
    const fifo = join(dir, 'fifo');
    const c = new LocalConnection();
    for (const options of [{}, { stdin: 'x' }]) {
      execFileSync('mkfifo', [fifo]);
      // The job waits on the FIFO, holding the command's stdout and stderr until the test lets it go.
      const r = await c.exec(script(`( read x < ${fifo}; : > ${fifo}.done; echo late ) & echo started`), options);
      expect(r).toMatchObject({ code: 0, stdout: 'started\n' });
      writeFileSync(fifo, 'go\n');
      execFileSync('sh', ['-c', `while [ ! -e ${fifo}.done ]; do sleep 0.01; done; rm -f ${fifo} ${fifo}.done`]);
    }
    expect(existsSync(fifo)).toBe(false);
  }, 20_000);
});
