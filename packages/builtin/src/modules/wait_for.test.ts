/**
 * The wait_for loop run by busybox sh on this machine, with a PATH that has no `nc`: the port
 * check must fall back to /proc/net/tcp. A real listening socket, no host needed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from '@shipshape/core';
import { wait_for, waitForCommand } from './wait_for.js';

const run = promisify(execFile);
const bin = mkdtempSync(join(tmpdir(), 'shipshape-nonc-'));
let server: Server;
let port = 0;

beforeAll(async () => {
  for (const applet of ['sh', 'awk', 'date', 'sleep', 'grep', '[', 'test']) symlinkSync('/bin/busybox', join(bin, applet));
  server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function loop(args: Record<string, unknown>): Promise<string> {
  const a = parseArgs(wait_for.module, args, 'wait_for test');
  const { stdout } = await run(join(bin, 'sh'), ['-c', waitForCommand(a).text], { env: { PATH: bin } });
  return stdout.trim().split(' ')[0]!;
}

describe('wait_for without nc (busybox sh, /proc/net/tcp)', () => {
  it('sees a port listening on its address', async () => {
    expect(await loop({ host: '127.0.0.1', port, timeout: 2 })).toBe('met');
  });
  it('does not mistake another address for the listening one', async () => {
    expect(await loop({ host: '127.0.0.2', port, timeout: 0 })).toBe('timeout');
  });
  it('state stopped is met for a closed port and times out for an open one', async () => {
    expect(await loop({ port: 1, state: 'stopped', timeout: 0 })).toBe('met');
    expect(await loop({ host: '127.0.0.1', port, state: 'stopped', timeout: 0 })).toBe('timeout');
  });
});
