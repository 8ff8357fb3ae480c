import { sh, CommandError, type FactDef } from '@shipshape/core';

export type ContainerState = 'running' | 'stopped' | 'mounted' | 'suspended';

export interface ContainerStatus {
  readonly id: number;
  readonly status: ContainerState;
}

/** Parse `vzlist -a -H -o ctid,status` (platforms.md §2.7: `%10d` ctid, one space, status). */
export function parseVzlistStatus(stdout: string): ContainerStatus[] {
  const out: ContainerStatus[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^\s*(\d+)\s+(running|stopped|mounted|suspended)\s*$/.exec(line);
    if (m) out.push({ id: Number(m[1]), status: m[2] as ContainerState });
  }
  return out;
}

/**
 * Every OpenVZ container on the host with its status (one `vzlist` call). No containers is
 * not an error (vzlist prints `Container(s) not found` and exits 0).
 * @example const running = (await h.fact(containersFact, undefined)).filter((c) => c.status === 'running');
 */
export const containersFact: FactDef<ContainerStatus[]> = {
  name: 'vzlist',
  command: () => sh`vzlist -a -H -o ctid,status`,
  parse: (r) => {
    if (r.code !== 0) throw new CommandError('(vzlist)', 'vzlist -a -H -o ctid,status', r.code, r.stdout, r.stderr);
    return parseVzlistStatus(r.stdout);
  },
};
