/**
 * A core {@link Connection} into an OpenVZ container: every command runs on the hardware node
 * through `vzctl exec2 <ctid>`, so shipshape modules and tasks work inside the container.
 */
import { nestedConnection, ModuleError, ConnectError, type Connection, type Host, type Task } from '@shipshape/core';
import { vzctlExecCommand } from './exec.js';
import { notRunning, VZ } from './internal/vzerror.js';

/** The connection into CT `ctid` of `node`: `vzctl exec2` through the node's `run` (become and events apply). */
export function containerConnection(node: Host, ctid: number): Connection {
  return nestedConnection(node, {
    name: `${node.name}/ct${ctid}`,
    wrap: (c) => vzctlExecCommand(ctid, c, 'exec2'),
    gone: (r) => (r.code === VZ.VE_NOT_RUNNING && notRunning(r.stderr) ? `container ${ctid} is not running` : undefined),
  });
}

/** What runs inside: tasks (modules, function tasks, blocks), or one callback given the container's Host. */
export type ContainerWork = readonly Task[] | ((ct: Host) => Promise<void>);

export interface InContainerResult {
  readonly changed: boolean;
  /** Per task inside the container: name, status, message. */
  readonly results: readonly { task: string; status: string; msg?: string }[];
}

/**
 * Run shipshape tasks inside CT `ctid` of host `h`, through `h.withConnection` over a
 * {@link containerConnection}: each task keeps when, loop, retries and check mode, blocks their
 * rescue and always, and its commands are events of the outer run. Throws ModuleError naming the
 * failed task when anything fails (or the container is not running).
 * @example await inContainer(h, 9999, [lineinfile({ path: '/etc/default/locale', regexp: '^LANG=', line: 'LANG=de_DE.UTF-8' })]);
 */
export async function inContainer(h: Host, ctid: number, work: ContainerWork, name = `in CT ${ctid}`): Promise<InContainerResult> {
  const tasks: readonly Task[] = typeof work === 'function'
    ? [{ kind: 'fn', fn: async (ct: Host) => { await work(ct); }, options: { name } }]
    : work;
  const conn = containerConnection(h, ctid);
  const ct = h.withConnection(conn, `ct${ctid}`);
  const done = await ct.applyAll(tasks).catch((e: unknown) => {
    // A stopped container is this task's failure; the node itself stays reachable.
    if (e instanceof ConnectError && e.host === conn.name) throw new ModuleError(`${name}: container ${ctid} is not reachable (not running?)`, { cause: e });
    throw e;
  });
  const results = done.results.map((r) => ({ task: r.task, status: r.result.status, msg: r.result.msg }));
  if (done.failed) throw new ModuleError(`${name}: ${done.failed.task}: ${done.failed.result.msg ?? 'failed'}`);
  return { changed: done.changed, results };
}
