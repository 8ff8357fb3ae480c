import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClientChannel } from 'ssh2';
import type { Command } from '../command.js';
import type { Connection, ExecOptions, ExecResult } from '../types.js';
import { frameCommand, newBoundary, OutputTooLarge, RemoteShell } from './shell.js';
import { withEnvAndCwd } from './nested.js';

/** The controller itself (ansible_connection=local), through zx. */
export class LocalConnection implements Connection {
  channelCount = 0;
  constructor(readonly name: string = 'localhost') {}

  /**
   * `/bin/sh` framed like a remote command (see RemoteShell): the result is there when the command has
   * exited, whatever it left running (a job holding its stdout would otherwise hold the run forever).
   * Streamed output goes through zx.
   */
  async exec(command: Command, options: ExecOptions = {}): Promise<ExecResult> {
    this.channelCount++;
    const text = withEnvAndCwd(command, options).text;
    if (options.stdoutStream) return this.execStreaming(text, options, options.stdoutStream);
    const boundary = newBoundary();
    const stdin = options.stdin;
    const p = spawn('/bin/sh', stdin === undefined ? [] : ['-c', frameCommand(text, boundary, 'stdin')], { stdio: 'pipe' });
    const shell = new RemoteShell(processChannel(p), boundary);
    const result = stdin === undefined ? shell.run(text, false) : shell.expect();
    // Input a command exits without reading (EPIPE) is no error, as over SSH: the result says how it ended.
    // Any other failure to feed it (the input stream's own error) fails the command.
    let inputError: Error | undefined;
    p.stdin.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') inputError ??= e;
    });
    if (stdin === undefined) p.stdin.end();
    else if (stdin instanceof Readable) {
      stdin.on('error', (e) => {
        inputError ??= e;
        // The command sees the end of its input, exits, and its result is there to fail.
        p.stdin.destroy();
      });
      stdin.pipe(p.stdin);
    } else p.stdin.end(stdin);
    // Like a command killed by its timeout under zx: no exit code.
    const timer = options.timeoutMs ? setTimeout(() => p.kill('SIGKILL'), options.timeoutMs) : undefined;
    try {
      const r = await result;
      if (!inputError) return r;
      return { ...r, code: -1, stderr: `${r.stderr}the command's input failed: ${inputError.message}` };
    } catch (e) {
      if (e instanceof OutputTooLarge) throw e;
      return { code: -1, stdout: '', stderr: e instanceof Error ? e.message : String(e), stdoutBytes: Buffer.alloc(0) };
    } finally {
      clearTimeout(timer);
      p.stdout.destroy();
      p.stderr.destroy();
    }
  }

  private async execStreaming(text: string, options: ExecOptions, target: Writable): Promise<ExecResult> {
    // zx loads lazily: most runs never touch the local connection, and start-up time counts.
    const { $ } = await import('zx');
    const stdin = options.stdin;
    const input = stdin instanceof Readable ? undefined : stdin;
    const p = $({ nothrow: true, quiet: true, input, timeout: options.timeoutMs, stdio: ['pipe', 'pipe', 'pipe'] })`/bin/sh -c ${text}`;
    if (stdin instanceof Readable) stdin.pipe(p.stdin);
    else if (stdin === undefined) p.stdin.end();
    p.stdout.pipe(target, { end: false });
    const out = await p;
    return { code: out.exitCode ?? -1, stdout: '', stderr: out.stderr, stdoutBytes: Buffer.alloc(0) };
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

/** A local shell process as the channel a RemoteShell reads: its stdin, stdout, stderr and close. */
export function processChannel(p: ChildProcessWithoutNullStreams): ClientChannel {
  const channel = {
    on: (event: string, f: (...a: unknown[]) => void) => (event === 'data' ? p.stdout.on('data', f) : p.on(event, f)),
    stderr: p.stderr,
    write: (s: string) => p.stdin.write(s),
    end: () => p.stdin.end(),
  };
  return channel as unknown as ClientChannel;
}
