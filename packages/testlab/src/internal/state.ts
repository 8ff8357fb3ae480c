import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../errors.js';
import type { HostRecord } from './host.js';

/** Everything another process needs to inspect or stop a lab: `<dir>/state.json`. */
export interface LabState {
  readonly id: number;
  readonly dir: string;
  readonly keyPath: string;
  readonly knownHostsPath: string;
  readonly inventoryPath: string;
  /** The process that owns the lab (stale once it is gone); absent for persistent labs (`lab up`). */
  readonly ownerPid?: number;
  readonly hosts: HostRecord[];
}

const statePath = (dir: string): string => path.join(dir, 'state.json');

/** Write state.json atomically (temp file + rename). */
export function saveState(state: LabState): void {
  const tmp = `${statePath(state.dir)}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, statePath(state.dir));
}

export function loadState(dir: string): LabState | undefined {
  if (!existsSync(statePath(dir))) return undefined;
  try {
    return JSON.parse(readFileSync(statePath(dir), 'utf8')) as LabState;
  } catch (e) {
    throw new LabError(`cannot read ${statePath(dir)}: ${(e as Error).message}`, { cause: e });
  }
}
