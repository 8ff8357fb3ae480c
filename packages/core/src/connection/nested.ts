/**
 * Connections that run inside something reached through a host: a container (`vzctl exec2`), a chroot
 * (`chroot ROOT /bin/sh -c`). Every command goes through the outer host's `run` (become and command
 * events apply), env and cwd become shell text, uploads stream through `cat` into a private temp file.
 */
import type { Readable, Writable } from 'node:stream';
import { pathArg, sh, type Command } from '../command.js';
import { ArgumentError, CommandError, ConnectError } from '../errors.js';
import type { Connection, ExecOptions, ExecResult, Host } from '../types.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `command` with `cwd` and `env` rendered into it (`cd DIR && export K=V ... && command`), every value
 * quoted: for connections that cannot pass them otherwise (sshd refuses most env requests; a container
 * or a chroot has no channel of its own).
 */
export function withEnvAndCwd(command: Command, options: Pick<ExecOptions, 'env' | 'cwd'> = {}): Command {
  const env = Object.entries(options.env ?? {});
  if (env.length === 0 && !options.cwd) return command;
  const parts: Command[] = [];
  if (options.cwd) parts.push(sh`cd ${pathArg(options.cwd)}`);
  if (env.length) {
    const bad = env.find(([k]) => !ENV_NAME.test(k));
    if (bad) throw new ArgumentError(`env: bad environment variable name ${JSON.stringify(bad[0])}`, 'env', bad[0]);
    const assignments = env.map(([k, v]) => sh`${v}`).map((q, i) => ({ text: `${env[i]![0]}=${q.text}`, display: `${env[i]![0]}=${q.display}` }));
    parts.push({ text: `export ${assignments.map((a) => a.text).join(' ')}`, display: `export ${assignments.map((a) => a.display).join(' ')}` });
  }
  parts.push(command);
  return { ...command, text: parts.map((p) => p.text).join(' && '), display: parts.map((p) => p.display).join(' && ') };
}

/**
 * Shell text that fills `path` from stdin: private while it fills (a new file under umask 077, an existing
 * one made 0600 first), its final mode at the end. For connections without SFTP.
 */
export function catUploadCommand(path: string, mode = 0o644): Command {
  const p = pathArg(path);
  return sh`umask 077 && { [ ! -f ${p} ] || chmod 0600 ${p}; } && cat > ${p} && chmod ${mode.toString(8)} ${p}`;
}

export interface NestedSpec {
  /** The connection's name, in events and errors (`node/ct101`, `dom0:/mnt/root`). */
  readonly name: string;
  /** The command that runs `command` inside (it must pass `command.text` as one quoted argument). */
  wrap(command: Command): Command;
  /** A result that means the inside is gone (a stopped container): the reason, or undefined. */
  gone?(result: ExecResult): string | undefined;
}

/** A Connection that runs every command inside `spec` through `host` (its `run`: become and events apply). */
export function nestedConnection(host: Host, spec: NestedSpec): Connection {
  const exec = async (command: Command, options: ExecOptions = {}): Promise<ExecResult> => {
    const { env, cwd, ...rest } = options;
    const r = await host.run(spec.wrap(withEnvAndCwd(command, { env, cwd })), { ...rest, allowFail: true });
    const gone = spec.gone?.(r);
    if (gone) throw new ConnectError(spec.name, 'closed', gone);
    return r;
  };
  const check = (r: ExecResult, what: string, path: string) => {
    if (r.code !== 0) throw new CommandError(spec.name, `${what} ${path}`, r.code, r.stdout, r.stderr);
  };
  return {
    name: spec.name,
    exec,
    async upload(source: Readable | Buffer, remotePath: string, options: { mode?: number } = {}) {
      check(await exec(catUploadCommand(remotePath, options.mode), { stdin: source }), 'upload to', remotePath);
    },
    async download(remotePath: string, target: Writable) {
      check(await exec(sh`cat ${pathArg(remotePath)}`, { stdoutStream: target }), 'download of', remotePath);
    },
    // The outer host's connection belongs to the run.
    close: async () => undefined,
  };
}
