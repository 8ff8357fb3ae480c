import { changes, defineModule, noChange, sh, type Plan } from '@shipshape/core';
import { z } from 'zod';
import { maintenanceModeFact } from './facts.js';
import { freshFact } from './internal/remote.js';

export const maintenanceModeSchema = z
  .object({
    /** true: enter maintenance mode; false: leave it. */
    enabled: z.boolean(),
    /** Seconds ESXi may take to enter (esxcli `--timeout`). */
    timeoutSeconds: z.number().int().positive().optional(),
  })
  .strict();
export type MaintenanceModeArgs = z.output<typeof maintenanceModeSchema>;

/** Pure: the esxcli call that brings the host to the wanted state, or why none is needed. */
export function planMaintenanceMode(args: MaintenanceModeArgs, facts: { inMaintenance: boolean }): Plan {
  const word = args.enabled ? 'enabled' : 'disabled';
  if (facts.inMaintenance === args.enabled) return noChange(`maintenance mode is already ${word}`);
  const timeout = args.timeoutSeconds ? sh` --timeout ${args.timeoutSeconds}` : sh``;
  return changes(`maintenance mode ${word}`, [
    { kind: 'exec', command: sh`esxcli system maintenanceMode set --enable ${String(args.enabled)}${timeout}` },
  ]);
}

/**
 * Enter or leave maintenance mode; does nothing when the host is already there (esxcli would
 * fail with "already enabled/disabled").
 * @example
 * maintenanceMode({ enabled: true }, { name: 'enter maintenance mode' })
 */
export const maintenanceMode = defineModule({
  name: 'esxi.maintenanceMode',
  description: 'Enter or leave ESXi maintenance mode (idempotent)',
  schema: maintenanceModeSchema,
  gather: async (host) => ({ inMaintenance: await freshFact(host, maintenanceModeFact) }),
  plan: planMaintenanceMode,
});
