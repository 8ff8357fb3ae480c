import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
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

  it('takes input a command exits without reading as no error, and fails a command whose input stream fails', async () => {
    const c = new LocalConnection();
    // 4 MiB: more than a pipe holds, so writing goes on after the command has exited (EPIPE).
    const big = Buffer.alloc(4 * 1024 * 1024, 'x');
    expect(await c.exec(script('exit 0'), { stdin: big })).toMatchObject({ code: 0 });
    expect(await c.exec(script('exit 0'), { stdin: Readable.from([big, big]) })).toMatchObject({ code: 0 });
    const broken = new Readable({
      read() {
        this.destroy(new Error('source went away'));
      },
    });
    const r = await c.exec(script('cat >/dev/null; exit 0'), { stdin: broken });
    expect(r.code).toBe(-1);
    expect(r.stderr).toContain('source went away');
  });
});
