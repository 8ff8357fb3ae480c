import { ConnectError } from '../errors.js';
import { LocalConnection } from '../connection/local.js';
import { sshConnect } from '../connection/ssh.js';
import type { Connection, HostSpec, RunEvent } from '../types.js';

const RECONNECT_RETRY_MS = 500;

/** One connection per host for a whole run: opened on first use, reopened after a reboot, closed at the end. */
export class ConnectionPool {
  private readonly conns = new Map<string, Promise<Connection>>();
  private readonly opened: Connection[] = [];

  constructor(
    private readonly emit: (e: RunEvent) => void,
    /** Override how connections are opened (tests, chroot/container connections). */
    private readonly connect?: (host: HostSpec) => Promise<Connection>,
  ) {}

  /** The host's connection, opened on first use. */
  get(spec: HostSpec): Promise<Connection> {
    let c = this.conns.get(spec.name);
    if (!c) {
      this.emit({ type: 'connect', host: spec.name, detail: `${spec.connection.type} ${spec.connection.user ?? 'root'}@${spec.connection.host}:${spec.connection.port ?? 22}` });
      c = (this.connect ? this.connect(spec) : spec.connection.type === 'local' ? Promise.resolve(new LocalConnection(spec.name)) : sshConnect(spec.name, spec.connection));
      c.then((x) => {
        this.opened.push(x);
        for (const msg of x.warnings ?? []) this.emit({ type: 'warning', msg });
      }, () => undefined);
      this.conns.set(spec.name, c);
    }
    return c;
  }

  /** Re-open a host's connection after it went away (reboot), retrying until the deadline. */
  async reconnect(spec: HostSpec, timeoutMs: number): Promise<Connection> {
    const old = await this.conns.get(spec.name)?.catch(() => undefined);
    await old?.close().catch(() => undefined);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.conns.delete(spec.name);
      const attempt = this.get(spec);
      try {
        return await attempt;
      } catch (e) {
        const fatal = !(e instanceof ConnectError) || e.reason === 'auth' || e.reason === 'hostkey';
        if (fatal) throw e;
        // Polling a rebooting host is the point here, not a synchronisation shortcut.
        if (Date.now() + RECONNECT_RETRY_MS > deadline) {
          throw new ConnectError(spec.name, 'timeout', `did not come back within ${timeoutMs} ms: ${(e as Error).message}`, { cause: e });
        }
        await new Promise((r) => setTimeout(r, RECONNECT_RETRY_MS));
      }
    }
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.opened.map((c) => c.close().catch(() => undefined)));
  }

  /** Connections opened so far (a reconnect counts again). */
  get connections(): number {
    return this.opened.length;
  }

  /** SSH channels used over all connections. */
  get channels(): number {
    return this.opened.reduce((n, c) => n + (c.channelCount ?? 0), 0);
  }
}
