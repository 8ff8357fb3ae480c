import { createReadStream, createWriteStream } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from '../command.js';
import type { Connection, ExecOptions, ExecResult } from '../types.js';
import { wrapCommand } from './ssh.js';

/** The controller itself (ansible_connection=local), through zx. */
export class LocalConnection implements Connection {
  channelCount = 0;
  constructor(readonly name: string = 'localhost') {}

  async exec(command: Command, options: ExecOptions = {}): Promise<ExecResult> {
    this.channelCount++;
    const text = wrapCommand(command, options);
    // zx loads lazily: most runs never touch the local connection, and start-up time counts.
    const { $ } = await import('zx');
    const stdin = options.stdin;
    const input = stdin instanceof Readable ? undefined : stdin;
    const p = $({ nothrow: true, quiet: true, input, timeout: options.timeoutMs, stdio: ['pipe', 'pipe', 'pipe'] })`/bin/sh -c ${text}`;
    if (stdin instanceof Readable) stdin.pipe(p.stdin);
    else if (stdin === undefined) p.stdin.end();
    if (options.stdoutStream) p.stdout.pipe(options.stdoutStream, { end: false });
    const out = await p;
    const bytes = options.stdoutStream ? Buffer.alloc(0) : out.buffer();
    return { code: out.exitCode ?? -1, stdout: bytes.toString('utf8'), stderr: out.stderr, stdoutBytes: bytes };
  }

  async upload(source: Readable | Buffer, remotePath: string, options: { mode?: number } = {}): Promise<void> {
    const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
    await pipeline(input, createWriteStream(remotePath, { mode: options.mode ?? 0o644 }));
    await chmod(remotePath, options.mode ?? 0o644);
  }

  async download(remotePath: string, target: Writable): Promise<void> {
    await pipeline(createReadStream(remotePath), target);
  }

  async close(): Promise<void> {}
}
