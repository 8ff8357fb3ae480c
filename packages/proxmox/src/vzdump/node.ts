/**
 * Which containers a node has and with which tool (docs/platforms/proxmox.md, "The node's
 * container tool"): Proxmox VE ≥ 4 has `pct` (LXC) and no vzlist; an OpenVZ node (vzdump 1.x, PVE
 * 1.x–3.x) has vzlist/vzctl. One fact, one round trip: the tool's name, then its listing.
 */
import { ModuleError, sh, type ExecResult, type FactDef } from '@shipshape/core';
import { containersFact, type ContainerInfo } from '@shipshape/openvz';
import { parsePctList } from '../pve/facts.js';

export type ContainerTool = 'pct' | 'vzctl';

export interface NodeContainers {
  readonly tool: ContainerTool;
  readonly containers: readonly ContainerInfo[];
}

const MARK = '@@shipshape-ct-tool@@';

/** Pure: {@link nodeContainersFact}'s output (the marker line, then `pct list` or vzlist's). */
export function parseNodeContainers(r: ExecResult): NodeContainers {
  const m = new RegExp(`^${MARK} (pct|vzctl)\\n`).exec(r.stdout);
  if (!m) throw new ModuleError(`listing the node's containers failed (exit ${r.code}): ${(r.stderr.trim() || r.stdout.trim()) || 'no output'}`);
  const rest = { ...r, stdout: r.stdout.slice(m[0].length) };
  if (m[1] === 'vzctl') return { tool: 'vzctl', containers: containersFact.parse(rest, undefined) };
  if (r.code !== 0) throw new ModuleError(`pct list failed (exit ${r.code}): ${r.stderr.trim() || rest.stdout.trim()}`);
  return { tool: 'pct', containers: parsePctList(rest.stdout) };
}

/** The node's containers: `pct list` where pct exists, else `vzlist -a -H -t -o ctid,status,hostname,ostemplate,ip`. */
export const nodeContainersFact: FactDef<NodeContainers> = {
  name: 'proxmox.node.containers',
  command: () =>
    sh`if command -v pct >/dev/null 2>&1; then echo ${`${MARK} pct`}; pct list; else echo ${`${MARK} vzctl`}; vzlist -a -H -t -o ctid,status,hostname,ostemplate,ip; fi`,
  parse: parseNodeContainers,
};

/**
 * The node's own listing shipped beside the dumps of each generation: `pct list` as
 * `pct-list.log` on Proxmox VE, `vzlist -a` as `vzlist.log` on OpenVZ (older generations hold
 * `vzlist.log` whatever made them).
 */
export const LISTINGS: Readonly<Record<ContainerTool, { readonly file: string; readonly argv: readonly string[] }>> = {
  pct: { file: 'pct-list.log', argv: ['pct', 'list'] },
  vzctl: { file: 'vzlist.log', argv: ['vzlist', '-a'] },
};
