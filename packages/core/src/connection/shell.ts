import { randomBytes } from 'node:crypto';
import type { ClientChannel } from 'ssh2';
import { quote } from '../command.js';
import { ShipshapeError } from '../errors.js';
import type { ExecResult } from '../types.js';

/*
 * Commands run framed by a random boundary: the command in a subshell (`( eval '...' )`: no state leaks,
 * an `exit` ends only the subshell), then its exit code after a marker line on stdout and a marker line on
 * stderr. One long-lived `/bin/sh` per connection runs command after command this way (no SSH channel, no
 * sshd session, no shell start-up per command); a command of its own channel runs framed too, so it is
 * done when it has exited, whatever it left running.
 *
 * A background job a command leaves (`daemon &`, `nohup x &`) keeps the command's stdout and stderr. In the
 * long-lived shell those are the connection's, so its later output would land in whatever runs next, the
 * read a file edit is planned on included. Only commands marked `contained` (they start nothing that
 * outlives them: our own reads and writes) print there directly. Every other command's output goes to
 * files of its own in a private directory (mode 0700, made on first use, removed when the shell exits),
 * which one `cat` prints after it has exited (none when it printed nothing): a job it left writes into a file nobody reads again.
 */

export function newBoundary(): string {
  return `--ss-${randomBytes(12).toString('hex')}`;
}

/** How a framed command gets its stdin and its output. */
export type FrameMode =
  /** Output straight to the shell's stdout and stderr, stdin /dev/null. */
  | 'direct'
  /** Output to files of its own, printed after it has exited (stdout, a marker line, stderr); stdin /dev/null. */
  | 'captured'
  /** Output straight, stdin the channel's (a command on a channel of its own). */
  | 'stdin';

/** The private directory of a shell's captured output: `.shipshape-sh.<pid of the shell>.<random>`. */
const CAPTURE_DIR = '.shipshape-sh';

export function frameCommand(text: string, boundary: string, mode: FrameMode): string {
  const run = `( eval ${quote(text)}\n)`;
  const end = (code: string) => `printf '\\n${boundary} %s\\n' ${code}; printf '\\n${boundary}\\n' >&2\n`;
  if (mode === 'stdin') return `${run}; ${end('$?')}`;
  if (mode === 'direct') return `${run} </dev/null; ${end('$?')}`;
  const o = '"$ss_d/o$ss_n"';
  const e = '"$ss_d/e$ss_n"';
  return (
    // Once per shell: first remove what dead shells of ours left (their pid gone), then make the directory.
    `[ -n "$ss_d" ] || { for f in "\${TMPDIR:-/tmp}"/${CAPTURE_DIR}.*; do x=\${f##*/${CAPTURE_DIR}.}; n=\${x%%.*}; ` +
    `case $n in ''|*[!0-9]*) continue ;; esac; [ -d "$f" ] && [ ! -L "$f" ] && [ -O "$f" ] && ! kill -0 "$n" 2>/dev/null && rm -rf -- "$f"; done; ` +
    `ss_d="\${TMPDIR:-/tmp}/${CAPTURE_DIR}.$$.${randomBytes(6).toString('hex')}"; ss_n=0; ` +
    `if mkdir -m 0700 -- "$ss_d" 2>/dev/null && printf '\\n${boundary}:stderr\\n' > "$ss_d/s"; then trap 'rm -rf -- "$ss_d"' EXIT; trap 'exit 1' HUP PIPE TERM; else ss_d=; fi; }\n` +
    `if [ -n "$ss_d" ]; then ss_n=$((ss_n+1)); ${run} </dev/null >${o} 2>${e}; ss_r=$?; ` +
    // Printed by one cat, none for a command that printed nothing (most); emptied once printed, so a job
    // still writing there fills nothing we keep.
    `if [ -s ${o} ] || [ -s ${e} ]; then cat -- ${o} "$ss_d/s" ${e}; : > ${o}; : > ${e}; else printf '\\n${boundary}:stderr\\n'; fi; ` +
    `${end('$ss_r')}else ${end('nocapture')}fi\n`
  );
}

/** The most output (stdout or stderr) one command may give before it fails; the rest is read and dropped. */
export const MAX_OUTPUT_BYTES = 128 * 1024 * 1024;

/** A command printed more than MAX_OUTPUT_BYTES on one stream: it fails, the connection stays usable. */
export class OutputTooLarge extends ShipshapeError {
  constructor(readonly stream: 'stdout' | 'stderr', readonly bytes: number) {
    super('COMMAND', `the command's ${stream} exceeded ${MAX_OUTPUT_BYTES / 1024 / 1024} MiB (at least ${bytes} bytes); its output was dropped`);
  }
}

/**
 * Bytes of one stream until a marker line: only the newest bytes are searched as they come (outputs of
 * many megabytes are not copied over and over). Past MAX_OUTPUT_BYTES only the bytes that may hold the
 * marker are kept.
 */
class Framed {
  private chunks: Buffer[] = [];
  private size = 0;
  private tail = Buffer.alloc(0);
  private found = false;

  constructor(private readonly mark: Buffer) {}

  push(d: Buffer): void {
    this.chunks.push(d);
    this.size += d.length;
    const window = Buffer.concat([this.tail, d]);
    const at = window.indexOf(this.mark);
    if (at >= 0 && window.indexOf(10, at + this.mark.length) >= 0) this.found = true;
    this.tail = Buffer.from(window.subarray(Math.max(0, window.length - this.mark.length - 32)));
    if (!this.found && this.size > MAX_OUTPUT_BYTES) this.chunks = [this.tail];
  }

  /** The bytes before the marker and the rest of its line, once the whole line is there; `dropped` past the limit. */
  take(): { bytes: Buffer; line: string; dropped?: number } | undefined {
    if (!this.found) return undefined;
    const dropped = this.size > MAX_OUTPUT_BYTES ? this.size : undefined;
    const all = Buffer.concat(this.chunks);
    const at = all.indexOf(this.mark);
    const eol = all.indexOf(10, at + this.mark.length);
    const rest = all.subarray(eol + 1);
    this.chunks = rest.length ? [rest] : [];
    this.tail = Buffer.from(rest.subarray(Math.max(0, rest.length - this.mark.length - 32)));
    this.found = rest.indexOf(this.mark) >= 0 && rest.indexOf(10, rest.indexOf(this.mark) + this.mark.length) >= 0;
    this.size = rest.length;
    return { bytes: Buffer.from(all.subarray(0, at)), line: all.subarray(at + this.mark.length, eol).toString(), dropped };
  }
}

/** A shell or channel ended without a command's result; the connection turns it into a result with exit code -1. */
export class ShellError extends ShipshapeError {
  constructor(message: string) {
    super('COMMAND', message);
  }
}

/** The shell could not capture a command's output apart (no private directory): it did not run it. */
export class CaptureUnavailable extends ShellError {}

export class RemoteShell {
  private readonly out: Framed;
  private readonly err: Framed;
  private readonly split: Buffer;
  private done?: { bytes: Buffer; line: string; dropped?: number };
  private pending?: { captured: boolean; resolve(r: ExecResult): void; reject(e: Error): void };
  private dead?: Error;

  constructor(
    private readonly channel: ClientChannel,
    readonly boundary: string = newBoundary(),
  ) {
    this.out = new Framed(Buffer.from(`\n${boundary} `));
    this.err = new Framed(Buffer.from(`\n${boundary}`));
    this.split = Buffer.from(`\n${boundary}:stderr\n`);
    channel.on('data', (d: Buffer) => {
      this.out.push(d);
      this.settle();
    });
    channel.stderr.on('data', (d: Buffer) => {
      this.err.push(d);
      this.settle();
    });
    channel.on('close', () => this.fail(new ShellError('the remote shell exited')));
    channel.on('error', (e: Error) => this.fail(e));
  }

  get alive(): boolean {
    return this.dead === undefined;
  }

  /** Send one command (stdin /dev/null); `captured` for one that may leave background jobs behind. */
  run(text: string, captured: boolean): Promise<ExecResult> {
    const result = this.expect(captured);
    if (!this.dead) this.channel.write(frameCommand(text, this.boundary, captured ? 'captured' : 'direct'));
    return result;
  }

  /** The result of a command framed with this shell's boundary that the channel already runs. */
  expect(captured = false): Promise<ExecResult> {
    if (this.dead) return Promise.reject(this.dead);
    if (this.pending) return Promise.reject(new ShellError('remote shell is busy'));
    return new Promise((resolve, reject) => {
      this.pending = { captured, resolve, reject };
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
    const { bytes, line, dropped } = this.done;
    this.done = undefined;
    const { captured, resolve, reject } = this.pending;
    this.pending = undefined;
    if (line === 'nocapture') return reject(new CaptureUnavailable('the remote shell cannot capture output (no private temp directory)'));
    // The shell is in step again (its marker lines came): only this command fails.
    if (dropped !== undefined) return reject(new OutputTooLarge('stdout', dropped));
    if (err.dropped !== undefined) return reject(new OutputTooLarge('stderr', err.dropped));
    let stdout = bytes;
    let stderr = err.bytes;
    if (captured) {
      const at = bytes.indexOf(this.split);
      if (at < 0) return reject(new ShellError(`the captured output of the command is incomplete: ${err.bytes.toString('utf8').trim()}`));
      stdout = bytes.subarray(0, at);
      stderr = Buffer.concat([bytes.subarray(at + this.split.length), err.bytes]);
    }
    resolve({ code: Number(line), stdout: stdout.toString('utf8'), stderr: stderr.toString('utf8'), stdoutBytes: stdout });
  }

  private fail(e: Error): void {
    this.dead ??= e;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(this.dead);
  }
}
