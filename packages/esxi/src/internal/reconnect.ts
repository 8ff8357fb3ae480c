/**
 * Re-opening a host's connection after it rebooted. Core's Host has no reconnect hook yet, so
 * this wrapper (a Connection that can swap its SSH client) is what `restoreConfig` uses; give it
 * to `run` with `connect: esxiConnect`. A `reconnect` method on the Host itself is used first.
 */
import { ConnectError, ModuleError, sshConnect, type Connection, type ConnectionSpec, type ExecOptions, type ExecResult, type Host, type HostSpec, type Command } from '@shipshape/core';
import type { Readable, Writable } from 'node:stream';

export interface Reconnectable {
  /** Close the current connection and open a new one, retrying until `timeoutMs` has passed. */
  reconnect(options: { timeoutMs: number }): Promise<void>;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** How often a host that is still down is tried again. */
const RETRY_MS = 500;

export class ReconnectingConnection implements Connection, Reconnectable {
  private constructor(readonly name: string, private readonly spec: ConnectionSpec, private inner: Connection) {}

  static async open(name: string, spec: ConnectionSpec): Promise<ReconnectingConnection> {
    return new ReconnectingConnection(name, spec, await sshConnect(name, spec));
  }

  get channelCount(): number | undefined {
    return this.inner.channelCount;
  }

  exec(command: Command, options?: ExecOptions): Promise<ExecResult> {
    return this.inner.exec(command, options);
  }

  upload(source: Readable | Buffer, remotePath: string, options?: { mode?: number }): Promise<void> {
    return this.inner.upload(source, remotePath, options);
  }

  download(remotePath: string, target: Writable): Promise<void> {
    return this.inner.download(remotePath, target);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  async reconnect({ timeoutMs }: { timeoutMs: number }): Promise<void> {
    await this.inner.close().catch(() => undefined);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      try {
        this.inner = await sshConnect(this.name, { ...this.spec, connectTimeoutMs: Math.max(1000, Math.min(left, this.spec.connectTimeoutMs ?? 10_000)) });
        return;
      } catch (e) {
        if (!(e instanceof ConnectError) || e.reason === 'auth' || e.reason === 'hostkey') throw e;
        if (Date.now() + RETRY_MS > deadline) throw new ConnectError(this.name, 'timeout', `did not come back within ${timeoutMs} ms: ${e.message}`, { cause: e });
        await pause(RETRY_MS);
      }
    }
  }
}

/** A `run` option: connections that `restoreConfig` can re-open after the host reboots. */
export function esxiConnect(spec: HostSpec): Promise<Connection> {
  return ReconnectingConnection.open(spec.name, spec.connection);
}

/** The reconnect hook of a host: the Host's own (future core API), else its connection's. */
export function reconnector(host: Host): Reconnectable {
  const candidates = [host, host.connection] as unknown as Partial<Reconnectable>[];
  const found = candidates.find((c) => typeof c.reconnect === 'function');
  if (!found) {
    throw new ModuleError(
      `${host.name}: cannot wait for the host to come back: its connection cannot reconnect ` +
        '(run the playbook with `connect: esxiConnect` from @shipshape/esxi)',
    );
  }
  return { reconnect: (o) => found.reconnect!.call(found, o) };
}

export { pause, RETRY_MS };
