import { randomBytes } from 'node:crypto';
import type { ClientChannel } from 'ssh2';
import { quote } from '../command.js';
import type { ExecResult } from '../types.js';

/**
 * One long-lived remote shell per connection: commands are written to its stdin and run in a subshell
 * each (`( eval '...' ) </dev/null`: no state leaks between commands, an `exit` ends only the subshell), their
 * stdout and stderr framed by a random boundary with the exit code. A command then costs no SSH
 * channel, no sshd session and no shell start-up — on a busy host that is most of a small command's
 * price. One command at a time; the caller sends the others through exec channels.
 */
/**
 * Bytes of one stream until a marker line: only the newest bytes are searched as they come (outputs of
 * many megabytes are not copied over and over).
 */
class Framed {
  private chunks: Buffer[] = [];
  private tail = Buffer.alloc(0);
  private found = false;

  constructor(private readonly mark: Buffer) {}

  push(d: Buffer): void {
    this.chunks.push(d);
    const window = Buffer.concat([this.tail, d]);
    const at = window.indexOf(this.mark);
    if (at >= 0 && window.indexOf(10, at + this.mark.length) >= 0) this.found = true;
    this.tail = window.subarray(Math.max(0, window.length - this.mark.length - 32));
  }

  /** The bytes before the marker and the rest of its line, once the whole line is there. */
  take(): { bytes: Buffer; line: string } | undefined {
    if (!this.found) return undefined;
    const all = Buffer.concat(this.chunks);
    const at = all.indexOf(this.mark);
    const eol = all.indexOf(10, at + this.mark.length);
    const rest = all.subarray(eol + 1);
    this.chunks = rest.length ? [rest] : [];
    this.tail = Buffer.from(rest.subarray(Math.max(0, rest.length - this.mark.length - 32)));
    this.found = rest.indexOf(this.mark) >= 0 && rest.indexOf(10, rest.indexOf(this.mark) + this.mark.length) >= 0;
    return { bytes: Buffer.from(all.subarray(0, at)), line: all.subarray(at + this.mark.length, eol).toString() };
  }
}

export class RemoteShell {
  private readonly boundary = `--ss-${randomBytes(12).toString('hex')}`;
  private readonly out = new Framed(Buffer.from(`\n${this.boundary} `));
  private readonly err = new Framed(Buffer.from(`\n${this.boundary}`));
  private done?: { bytes: Buffer; line: string };
  private pending?: { resolve(r: ExecResult): void; reject(e: Error): void };
  private dead?: Error;

  constructor(private readonly channel: ClientChannel) {
    channel.on('data', (d: Buffer) => {
      this.out.push(d);
      this.settle();
    });
    channel.stderr.on('data', (d: Buffer) => {
      this.err.push(d);
      this.settle();
    });
    channel.on('close', () => this.fail(new Error('the remote shell exited')));
    channel.on('error', (e: Error) => this.fail(e));
  }

  get alive(): boolean {
    return this.dead === undefined;
  }

  run(text: string): Promise<ExecResult> {
    if (this.dead) return Promise.reject(this.dead);
    if (this.pending) return Promise.reject(new Error('remote shell is busy'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      // eval of the quoted text: a command with a syntax error fails alone (as `sh -c` would) instead of
      // leaving the shell waiting for a closing quote.
      this.channel.write(`( eval ${quote(text)}\n) </dev/null; printf '\\n${this.boundary} %d\\n' $?; printf '\\n${this.boundary}\\n' >&2\n`);
    });
  }

  close(): void {
    this.channel.end();
  }

  private settle(): void {
    if (!this.pending) return;
    this.done ??= this.out.take();
    if (!this.done) return;
    const err = this.err.take();
    if (!err) return;
    const { bytes, line } = this.done;
    this.done = undefined;
    const { resolve } = this.pending;
    this.pending = undefined;
    resolve({ code: Number(line), stdout: bytes.toString('utf8'), stderr: err.bytes.toString('utf8'), stdoutBytes: bytes });
  }

  private fail(e: Error): void {
    this.dead ??= e;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(this.dead);
  }
}
