import { readFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { PassThrough, Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ssh2 from 'ssh2';
import type { Client as ClientT, ClientChannel, ConnectConfig, ServerHostKeyAlgorithm, SFTPWrapper } from 'ssh2';
import { pathArg, sh, Secret, type Command } from '../command.js';
import { CommandError, ConnectError, type UnreachableReason } from '../errors.js';
import { Semaphore } from '../internal/semaphore.js';
import type { Connection, ConnectionSpec, ExecOptions, ExecResult } from '../types.js';
import { catUploadCommand, withEnvAndCwd } from './nested.js';
import { CaptureUnavailable, ShellError, frameCommand, newBoundary, OutputTooLarge, RemoteShell } from './shell.js';
import { hostKeyGate } from './host-key-check.js';

const { Client } = ssh2;

/** OpenSSH's sshd allows 10 sessions per connection (MaxSessions); stay below it. */
const MAX_CHANNELS = 8;

function classify(err: Error & { level?: string; code?: string }, hostKeyRejected: string | undefined): UnreachableReason {
  if (hostKeyRejected) return 'hostkey';
  if (err.level === 'client-authentication') return 'auth';
  if (err.level === 'client-timeout' || err.code === 'ETIMEDOUT') return 'timeout';
  if (err.code === 'ECONNREFUSED') return 'refused';
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return 'dns';
  return 'other';
}

async function clientConfig(spec: ConnectionSpec): Promise<ConnectConfig> {
  const password = spec.password instanceof Secret ? spec.password.value : spec.password;
  const agent = spec.agent === false ? undefined : typeof spec.agent === 'string' ? spec.agent : process.env.SSH_AUTH_SOCK;
  return {
    host: spec.host,
    port: spec.port ?? 22,
    username: spec.user ?? 'root',
    privateKey: spec.privateKey ?? (spec.privateKeyPath ? await readFile(spec.privateKeyPath) : undefined),
    password,
    agent,
    readyTimeout: spec.connectTimeoutMs ?? 10_000,
    keepaliveInterval: spec.keepaliveIntervalMs ?? 15_000,
    keepaliveCountMax: 3,
    tryKeyboard: password !== undefined,
  };
}

/** ssh2's host key algorithms (ed25519 first when the crypto library has it). */
const DEFAULT_HOST_KEY_ALGORITHMS: ServerHostKeyAlgorithm[] = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];

/**
 * ssh2's own order of authentication methods (ssh2 skips those with nothing configured), minus
 * password and keyboard-interactive once the host key check found a possible man in the middle.
 */
function authMethods(gate: { readonly unsafe: boolean }): NonNullable<ConnectConfig['authHandler']> {
  const methods = ['none', 'password', 'publickey', 'agent', 'keyboard-interactive'];
  return (() => {
    for (let m = methods.shift(); m; m = methods.shift()) if (!gate.unsafe || (m !== 'password' && m !== 'keyboard-interactive')) return m;
    return false;
  }) as NonNullable<ConnectConfig['authHandler']>;
}

/** Open one authenticated client, through an already open socket when jumping. */
async function openClient(name: string, spec: ConnectionSpec, warnings: string[], sock?: NodeJS.ReadableStream): Promise<ClientT> {
  const config = await clientConfig(spec);
  const gate = await hostKeyGate(spec);
  const client = new Client();
  return new Promise((resolve, reject) => {
    client.on('keyboard-interactive', (_n, _i, _l, prompts, finish) =>
      finish(prompts.map(() => (typeof config.password === 'string' ? config.password : ''))),
    );
    client.once('ready', () => {
      settled = true;
      // Small request/response packets: without TCP_NODELAY, Nagle + delayed ACK add ~20 ms per command.
      client.setNoDelay(true);
      warnings.push(...gate.warnings.map((w) => `${name}: ${w}`));
      const done = () => resolve(client);
      gate.commit().then(done, done);
    });
    // ssh2 may emit more than one error for one failure (timeout, then "connection lost"):
    // keep listening so none goes unhandled, and settle once.
    let settled = false;
    client.on('error', (err: Error & { level?: string; code?: string }) => {
      if (settled) return;
      settled = true;
      const reason = classify(err, gate.rejected);
      client.end();
      reject(new ConnectError(name, reason, gate.rejected ?? `${reason === 'auth' ? 'authentication failed' : err.message}`, { cause: err }));
    });
    // Our own socket so TCP_NODELAY is on from the first handshake packet.
    const socket = sock ?? createConnection({ host: config.host!, port: config.port!, noDelay: true });
    client.connect({
      ...config,
      sock: socket as ConnectConfig['sock'],
      algorithms: { serverHostKey: gate.algorithms(DEFAULT_HOST_KEY_ALGORITHMS) },
      hostVerifier: (key: Buffer) => gate.verify(key),
      authHandler: authMethods(gate),
    });
    dropHostKeyAnnouncements(client);
  });
}

type GlobalRequestHandler = (protocol: { requestSuccess(): void }, name: string, wantReply: boolean, data: unknown) => void;

/**
 * After authentication OpenSSH's sshd announces all its host keys (`hostkeys-00@openssh.com`, for the
 * client's UpdateHostKeys). ssh2 answers every announcement by asking the server to prove each key
 * (`hostkeys-prove-00@openssh.com`): a round trip, a signature per key on the host and a verification
 * per key here, for its 'hostkeys' event. Known hosts are only ever recorded from the key the handshake
 * verified, so the announcement is acknowledged and dropped, as OpenSSH's `UpdateHostKeys no` does.
 * (ssh2 keeps its message handlers on the protocol object; when they are not there, it proves as before.)
 */
function dropHostKeyAnnouncements(client: ClientT): void {
  const handlers = (client as unknown as { _protocol?: { _handlers?: Record<string, GlobalRequestHandler | undefined> } })._protocol?._handlers;
  const ssh2Handler = handlers?.GLOBAL_REQUEST;
  if (!handlers || typeof ssh2Handler !== 'function') return;
  handlers.GLOBAL_REQUEST = (protocol, name, wantReply, data) => {
    if (name !== 'hostkeys-00@openssh.com') return ssh2Handler(protocol, name, wantReply, data);
    if (wantReply) protocol.requestSuccess();
  };
}

/** Forward a TCP stream to host:port through an open client (ProxyJump). */
function forward(client: ClientT, host: string, port: number): Promise<ClientChannel> {
  return new Promise((resolve, reject) =>
    client.forwardOut('127.0.0.1', 0, host, port, (err, stream) => (err ? reject(err) : resolve(stream))),
  );
}

export class SshConnection implements Connection {
  /** Exec channels; the long-lived shell holds one more. */
  private readonly gate = new Semaphore(MAX_CHANNELS - 1);
  private shell?: RemoteShell;
  private shellInUse = false;
  /** The server would not start a shell channel: exec channels only. */
  private noShell = false;
  /** The shell can capture a command's output apart (see RemoteShell); false once it said it cannot. */
  private canCapture = true;
  private sftpPromise?: Promise<SFTPWrapper | null>;
  private closed = false;
  private lostReason?: string;
  channelCount = 0;
  /** Host key warnings met while connecting (StrictHostKeyChecking off over a changed key). */
  warnings: readonly string[] = [];

  constructor(
    readonly name: string,
    private readonly client: ClientT,
    private readonly jumps: readonly ClientT[],
  ) {
    client.on('close', () => {
      this.closed = true;
      this.lostReason ??= 'connection closed';
    });
    client.on('error', (e) => {
      this.lostReason = e.message;
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new ConnectError(this.name, 'closed', this.lostReason ?? 'connection closed');
  }

  exec(command: Command, options: ExecOptions = {}): Promise<ExecResult> {
    // Plain commands go to the connection's long-lived shell when it is free; commands with stdin, a
    // timeout or streamed output, and those that find it busy, get a channel of their own.
    if (options.stdin === undefined && !options.timeoutMs && !options.stdoutStream && !this.shellInUse && (command.contained || this.canCapture)) {
      return this.viaShell(command, options);
    }
    return this.gate.use(() => this.execNow(command, options));
  }

  private async viaShell(command: Command, options: ExecOptions): Promise<ExecResult> {
    this.assertOpen();
    this.shellInUse = true;
    try {
      if (!this.shell?.alive && !this.noShell) this.shell = await this.openShell().catch(() => undefined);
      if (!this.shell?.alive) {
        this.noShell = true;
      } else {
        try {
          return await this.shell.run(withEnvAndCwd(command, options).text, !command.contained);
        } catch (e) {
          this.assertOpen();
          // No private directory for captured output on this host: such commands take channels of their own.
          if (e instanceof CaptureUnavailable) this.canCapture = false;
          else if (e instanceof OutputTooLarge) throw e;
          // The shell died under the command (it killed it, or sshd did): like a channel closed without an exit status.
          else return { code: -1, stdout: '', stderr: e instanceof Error ? e.message : String(e), stdoutBytes: Buffer.alloc(0) };
        }
      }
    } finally {
      this.shellInUse = false;
    }
    return this.gate.use(() => this.execNow(command, options));
  }

  private async openShell(): Promise<RemoteShell> {
    return new RemoteShell(await this.channel('exec /bin/sh'));
  }

  private channel(text: string): Promise<ClientChannel> {
    this.assertOpen();
    return new Promise((resolve, reject) => {
      this.channelCount++;
      this.client.exec(text, (err, stream) => (err ? reject(new ConnectError(this.name, 'closed', `cannot open channel: ${err.message}`, { cause: err })) : resolve(stream)));
    });
  }

  /** A channel that closed without the command's result: the connection's loss, or the command's own failure. */
  private lost(command: Command, message: string): ExecResult {
    if (this.closed) throw new ConnectError(this.name, 'closed', `${this.lostReason ?? 'connection closed'} during ${command.display}`);
    return { code: -1, stdout: '', stderr: message, stdoutBytes: Buffer.alloc(0) };
  }

  /** The command's result, or a timeout error (the channel closed) when it takes longer than `timeoutMs`. */
  private async withTimeout(stream: ClientChannel, command: Command, options: ExecOptions, result: Promise<ExecResult>): Promise<ExecResult> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      if (!options.timeoutMs) return;
      timer = setTimeout(() => {
        stream.close();
        reject(new ConnectError(this.name, 'timeout', `command timed out after ${options.timeoutMs} ms: ${command.display}`));
      }, options.timeoutMs);
    });
    try {
      return await Promise.race([result.catch((e: Error) => (e instanceof OutputTooLarge ? Promise.reject(e) : this.lost(command, e.message))), late]);
    } finally {
      clearTimeout(timer);
      stream.close();
    }
  }

  /**
   * A command on a channel of its own, framed like the shell's (its result is there when it has exited,
   * whatever it left running; the channel then closes). Without stdin of its own the command travels on
   * the channel's stdin to `/bin/sh`, so none of it is on a command line (sshd runs a channel's command as
   * the login shell's `-c` argument, which every local user can read in /proc).
   */
  private async execNow(command: Command, options: ExecOptions): Promise<ExecResult> {
    if (options.stdoutStream) return this.execStreaming(command, options, options.stdoutStream);
    const text = withEnvAndCwd(command, options).text;
    const boundary = newBoundary();
    const stdin = options.stdin;
    const stream = await this.channel(stdin === undefined ? 'exec /bin/sh' : frameCommand(text, boundary, 'stdin'));
    const shell = new RemoteShell(stream, boundary);
    let result: Promise<ExecResult>;
    if (stdin === undefined) {
      result = shell.run(text, false);
      stream.end();
    } else {
      result = shell.expect();
      if (stdin instanceof Readable) stdin.pipe(stream);
      else stream.end(stdin);
    }
    return this.withTimeout(stream, command, options, result);
  }

  /**
   * Streamed stdout (downloads: `cat`, contained): the command's own channel until it closes. The exit
   * status is the one 'close' carries: a short command's whole channel (data, EOF, exit status, close)
   * often comes in one read from the socket, handled before this code runs after the channel opened, so
   * an 'exit' listener would miss it (data and close wait in the stream until read).
   */
  private async execStreaming(command: Command, options: ExecOptions, target: Writable): Promise<ExecResult> {
    const stream = await this.channel(withEnvAndCwd(command, options).text);
    const result = new Promise<ExecResult>((resolve, reject) => {
      const errs: Buffer[] = [];
      stream.pipe(target, { end: false });
      stream.stderr.on('data', (d: Buffer) => errs.push(d));
      const stderrEnded = new Promise<void>((r) => stream.stderr.once('end', r).once('close', r));
      stream.once('close', async (c?: number | null, signal?: string) => {
        const code = c ?? (signal ? 128 : -1);
        await stderrEnded;
        const stderr = Buffer.concat(errs).toString('utf8');
        if (code === -1) reject(new ShellError(stderr));
        else resolve({ code, stdout: '', stderr, stdoutBytes: Buffer.alloc(0) });
      });
    });
    const stdin = options.stdin;
    if (stdin === undefined) stream.end();
    else if (stdin instanceof Readable) stdin.pipe(stream);
    else stream.end(stdin);
    return this.withTimeout(stream, command, options, result);
  }

  /** The connection's one SFTP session (opened on first use); null when the server has no sftp-server. */
  sftp(): Promise<SFTPWrapper | null> {
    this.sftpPromise ??= new Promise((resolve) => {
      this.channelCount++;
      this.client.sftp((err, sftp) => resolve(err ? null : sftp));
    });
    return this.sftpPromise;
  }

  async upload(source: Readable | Buffer, remotePath: string, options: { mode?: number } = {}): Promise<void> {
    this.assertOpen();
    const sftp = await this.sftp();
    const input = Buffer.isBuffer(source) ? Readable.from([source]) : source;
    if (sftp) {
      await pipeline(input, sftp.createWriteStream(remotePath, { mode: options.mode ?? 0o644 })).catch((e) => { throw this.sftpFailure(`upload to ${remotePath}`, e); });
      return;
    }
    // No sftp-server (busybox hosts, old ESXi): stream through cat.
    const r = await this.exec(catUploadCommand(remotePath, options.mode), { stdin: input });
    if (r.code !== 0) throw new CommandError(this.name, `upload to ${remotePath}`, r.code, '', r.stderr);
  }

  async download(remotePath: string, target: Writable): Promise<void> {
    this.assertOpen();
    const sftp = await this.sftp();
    if (sftp) {
      await pipeline(sftp.createReadStream(remotePath), target).catch((e) => { throw this.sftpFailure(`download of ${remotePath}`, e); });
      return;
    }
    const pass = new PassThrough();
    const piped = pipeline(pass, target);
    const r = await this.exec(sh`cat ${pathArg(remotePath)}`, { stdoutStream: pass });
    pass.end();
    await piped;
    if (r.code !== 0) throw new CommandError(this.name, `download of ${remotePath}`, r.code, '', r.stderr);
  }

  /** An SFTP transfer's error as ours: the connection lost, or the server's refusal (its status code as exit code). */
  private sftpFailure(what: string, e: unknown): Error {
    if (e instanceof ConnectError || e instanceof CommandError) return e;
    const message = e instanceof Error ? e.message : String(e);
    if (this.closed) return new ConnectError(this.name, 'closed', `${this.lostReason ?? 'connection closed'} during ${what}`, { cause: e });
    const status = (e as { code?: unknown }).code;
    return new CommandError(this.name, `sftp ${what}`, typeof status === 'number' ? status : 1, '', message, { cause: e });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.shell?.close();
    await new Promise<void>((resolve) => {
      this.client.once('close', () => resolve());
      this.client.end();
    });
    for (const j of this.jumps) j.end();
  }
}

/**
 * Open the one SSH connection a host gets for the whole run, through jump hosts when given.
 * Host keys are verified against known_hosts by default (StrictHostKeyChecking yes; see host-key-check.ts for the other policies).
 */
export async function sshConnect(name: string, spec: ConnectionSpec): Promise<SshConnection> {
  const jumps: ClientT[] = [];
  const warnings: string[] = [];
  try {
    for (const hop of spec.proxyJump ?? []) {
      const prev = jumps.at(-1);
      const sock = prev ? await forward(prev, hop.host, hop.port ?? 22) : undefined;
      jumps.push(await openClient(`${name} (via jump ${hop.host})`, hop, warnings, sock));
    }
    const last = jumps.at(-1);
    const tunnel = last ? await forward(last, spec.host, spec.port ?? 22) : undefined;
    const client = await openClient(name, spec, warnings, tunnel);
    const conn = new SshConnection(name, client, jumps);
    conn.warnings = warnings;
    return conn;
  } catch (e) {
    for (const j of jumps) j.end();
    throw e;
  }
}
