/**
 * Restore a container from a vzdump archive: from generation `<name>.<N>` of an off-host
 * destination (downloaded onto the node first) or from a file on the node, with the node's own
 * restore tool (docs/platforms/proxmox.md, "Restore"): on Proxmox VE ≥ 4 (pct) `pct restore <ctid>
 * <archive> [--storage <id>]` (LXC archives, and OpenVZ ones converted); on an OpenVZ node
 * `vzrestore <archive> <ctid>` (vzdump 1.x, PVE 2.x/3.x) or `vzdump --restore <archive> <ctid>`
 * where only that is offered.
 */
import { posix } from 'node:path';
import { z } from 'zod';
import { cmd, sh, changes, defineModule, noChange, ModuleError, type Command, type Host } from '@shipshape/core';
import { downloadToHost, withDestination } from '@shipshape/storage';
import { vzdumpDialectFact } from './dialect.js';
import { ARCHIVE_NAME } from './output.js';
import { nodeContainersFact, type ContainerTool } from './node.js';
import { destinationField } from './destination.js';
import { parseGuestConfig } from '../pve/facts.js';


export const vzrestoreSchema = z
  .object({
    /** The new container's id; must not exist (a restore never overwrites). */
    ctid: z.number().int().min(101).max(2147483644).describe('The new container\'s id; must not exist (a restore never overwrites).'),
    /** The archive: from an off-host generation, or a file on the node. */
    from: z.union([
      z.object({
        /** The storage destination holding the generations: { type: 'local', on, path }, { type: 'sftp', host, port?, user, privateKey? or password?, path } or { type: 'ftp' | 'ftps', host, port?, user, password, path }. */
        dest: destinationField.describe('The storage destination holding the generations: { type: \'local\', on, path }, { type: \'sftp\', host, port?, user, privateKey? or password?, path } or { type: \'ftp\' | \'ftps\', host, port?, user, password, path }.'),
        /** Generation name. @default 'daily' */
        name: z.string().regex(/^[A-Za-z0-9_-]+$/).default('daily').describe('Generation name.'),
        /** Which generation: 0 is the newest. @default 0 */
        generation: z.number().int().min(0).default(0).describe('Which generation: 0 is the newest.'),
        /** The container whose dump to restore (its newest archive in that generation). @default the lowest CTID there */
        ct: z.number().int().min(100).optional().describe('The container whose dump to restore (its newest archive in that generation).'),
      }).strict(),
      z.object({ archive: z.string().startsWith('/').describe('An archive file on the node.') }).strict(),
    ]).describe('The archive: from an off-host generation, or a file on the node.'),
    /** Storage of the restored root fs on Proxmox VE (`pct restore --storage`; pct's default is `local`). */
    storage: z.string().regex(/^[a-z][a-z0-9._-]*$/).optional().describe("Storage of the restored root fs on Proxmox VE (`pct restore --storage`; pct's default is `local`)."),
    /** Where a downloaded archive is put on the node (removed after the restore). @default '/var/lib/vz/dump' */
    dumpdir: z.string().startsWith('/').default('/var/lib/vz/dump').describe('Where a downloaded archive is put on the node (removed after the restore).'),
    /**
     * Before starting, take the restored copy off the network the original is on (a scratch copy
     * beside it): vzctl deletes its IP addresses, pct its network interfaces (their MACs too). @default true
     */
    clearIps: z.boolean().default(true).describe('Before starting, take the restored copy off the original\'s network: vzctl deletes its IP addresses, pct its network interfaces (their MACs too).'),
    /** Start the restored container. @default true */
    start: z.boolean().default(true).describe('Start the restored container.'),
  })
  .strict();
export type VzrestoreArgs = z.output<typeof vzrestoreSchema>;

export type RestoreTool = 'vzrestore' | 'pct' | 'vzdump --restore';

export interface VzrestoreFacts {
  readonly exists: boolean;
  /** The node's container tool. @default 'vzctl' */
  readonly node?: ContainerTool;
  /** The first restore tool the node has, or undefined. */
  readonly tool?: RestoreTool;
}

/** Pure: the restore command of a tool. */
export function restoreCommand(tool: RestoreTool, archive: string, ctid: number, storage?: string): Command {
  if (tool === 'pct') return cmd('pct', 'restore', String(ctid), archive, ...(storage ? ['--storage', storage] : []));
  if (tool === 'vzdump --restore') return cmd('vzdump', '--restore', archive, String(ctid));
  return cmd('vzrestore', archive, String(ctid));
}

/** The newest archive of CT `ct` (default: the lowest CTID) among a generation's file names. Pure. */
export function pickArchive(names: readonly string[], ct?: number): string | undefined {
  const ids = names.map((n) => Number(ARCHIVE_NAME.exec(n)?.[3])).filter((id) => id > 0);
  const want = ct ?? Math.min(...ids);
  return names.filter((n) => Number(ARCHIVE_NAME.exec(n)?.[3]) === want).sort().pop();
}

const fromText = (a: VzrestoreArgs): string =>
  'archive' in a.from ? a.from.archive : `${a.from.name}.${a.from.generation} (${a.from.ct === undefined ? 'lowest CTID there' : `CT ${a.from.ct}`})`;

async function restore(h: Host, a: VzrestoreArgs, tool: RestoreTool): Promise<{ msg: string; data: Record<string, unknown> }> {
  let archive: string;
  let fetched: string | undefined;
  let source: string;
  if ('archive' in a.from) {
    archive = a.from.archive;
    source = archive;
  } else {
    const f = a.from;
    const gen = `${f.name}.${f.generation}`;
    const got = await withDestination(f.dest, async (c) => {
      const names = (await c.list(gen)).filter((e) => e.type === 'file').map((e) => e.name);
      const file = pickArchive(names, f.ct);
      if (!file) throw new ModuleError(`${c.label}: ${gen} holds no vzdump archive${f.ct === undefined ? '' : ` of CT ${f.ct}`} (files: ${names.join(', ') || 'none'})`);
      return { file, label: c.label, r: await downloadToHost(c, `${gen}/${file}`, h, posix.join(a.dumpdir, file)) };
    });
    archive = got.r.path;
    fetched = archive;
    source = `${got.label}/${gen}/${got.file}`;
  }
  try {
    const r = await h.run(restoreCommand(tool, archive, a.ctid, a.storage), { allowFail: true });
    const out = `${r.stdout}\n${r.stderr}`;
    const error = /^ERROR: (.*)$/m.exec(out)?.[1];
    if (r.code !== 0 || error) throw new ModuleError(`${tool} of ${archive} into CT ${a.ctid} failed (exit ${r.code}): ${error ?? out.trim().split('\n').slice(-2).join(' | ')}`);
  } finally {
    if (fetched) await h.run(sh`rm -f ${fetched}`);
  }
  const did = [`restored CT ${a.ctid} from ${source} with ${tool}`];
  const id = String(a.ctid);
  if (a.clearIps && tool === 'pct') {
    const nics = Object.keys(parseGuestConfig((await h.run(cmd('pct', 'config', id))).stdout)).filter((k) => /^net\d+$/.test(k)).sort();
    if (nics.length) await h.run(cmd('pct', 'set', id, '--delete', nics.join(',')));
    did.push(nics.length ? `its network interfaces deleted (${nics.join(', ')})` : 'no network interfaces to delete');
  } else if (a.clearIps) {
    await h.run(cmd('vzctl', 'set', id, '--ipdel', 'all', '--save'));
    did.push('its IP addresses deleted');
  }
  if (a.start) {
    await h.run(tool === 'pct' ? cmd('pct', 'start', id) : cmd('vzctl', 'start', id));
    did.push('started');
  }
  return { msg: did.join(', '), data: { ctid: a.ctid, source, tool, started: a.start } };
}

/**
 * Restore a container from a vzdump archive into a new CTID (a scratch copy, or a replacement),
 * optionally starting it; a CTID that exists is left alone ("ok"), so a rerun changes nothing.
 * @example
 * vzrestore({ ctid: 9101, from: { dest: { type: 'ftp', host: 'nas', user: 'backup', password: secret(pw), path: '/vz/node1' }, generation: 0, ct: 101 } })
 */
export const vzrestore = defineModule({
  name: 'proxmox.vzrestore',
  description: 'Restore a container (OpenVZ or Proxmox VE LXC) from a vzdump archive (off-host generation or node file) into a new CTID',
  schema: vzrestoreSchema,
  async gather(h: Host, a: VzrestoreArgs): Promise<VzrestoreFacts> {
    const { tool: node, containers } = await h.fact(nodeContainersFact, undefined);
    const listed = containers.some((c) => c.ctid === a.ctid);
    // pct list shows every CT of the node; an OpenVZ config without a private area may be missing from vzlist.
    if (node === 'pct') return { exists: listed, node, tool: 'pct' };
    const conf = await h.run(sh`test -f ${`/etc/vz/conf/${a.ctid}.conf`}`, { allowFail: true });
    const exists = listed || conf.code === 0;
    const found = (await h.run(sh`for t in vzrestore pct; do command -v $t >/dev/null 2>&1 && echo $t; done; true`)).stdout.split('\n');
    if (found.includes('vzrestore')) return { exists, tool: 'vzrestore' };
    if (found.includes('pct')) return { exists, tool: 'pct' };
    const d = await h.fact(vzdumpDialectFact, undefined).catch(() => undefined);
    return { exists, tool: d?.restoreOption ? 'vzdump --restore' : undefined };
  },
  plan(a, f: VzrestoreFacts) {
    if (f.exists) return noChange(`CT ${a.ctid} exists: nothing restored (a restore never overwrites)`, { ctid: a.ctid });
    if (!f.tool) throw new ModuleError('no restore tool on this node: neither vzrestore, pct nor a vzdump offering --restore');
    const tool = f.tool;
    return changes(`restore CT ${a.ctid} from ${fromText(a)} with ${tool}`, [
      { kind: 'call', describe: `${tool} → CT ${a.ctid}`, run: (h: Host) => restore(h, a, tool) },
    ]);
  },
});
