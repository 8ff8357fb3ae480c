import { changes, defineModule, noChange, sh, type Command, type Plan } from '@shipshape/core';
import { z } from 'zod';
import { esxcliSystemFact, maintenanceModeFact } from './facts.js';

export const maintenanceModeSchema = z
  .object({
    /** true: enter maintenance mode; false: leave it. */
    enabled: z.boolean().describe('true: enter maintenance mode; false: leave it.'),
    /** Seconds ESXi may take to enter (esxcli `--timeout`). */
    timeoutSeconds: z.number().int().positive().optional().describe('Seconds ESXi may take to enter (esxcli `--timeout`).'),
  })
  .strict();
export type MaintenanceModeArgs = z.output<typeof maintenanceModeSchema>;

/**
 * The command that enters or leaves maintenance mode: esxcli, or on hosts whose esxcli has no
 * `system` namespace (ESXi 4.x) `vim-cmd hostsvc/maintenance_mode_enter|exit`.
 */
export function maintenanceCommand(enable: boolean, esxcli: boolean, timeoutSeconds?: number): Command {
  if (!esxcli) return enable ? sh`vim-cmd hostsvc/maintenance_mode_enter` : sh`vim-cmd hostsvc/maintenance_mode_exit`;
  const timeout = timeoutSeconds ? sh` --timeout ${timeoutSeconds}` : sh``;
  return sh`esxcli system maintenanceMode set --enable ${String(enable)}${timeout}`;
}

/** Pure: the call that brings the host to the wanted state, or why none is needed. */
export function planMaintenanceMode(args: MaintenanceModeArgs, facts: { inMaintenance: boolean; esxcli: boolean }): Plan {
  const word = args.enabled ? 'enabled' : 'disabled';
  if (facts.inMaintenance === args.enabled) return noChange(`maintenance mode is already ${word}`);
  const note = !facts.esxcli && args.timeoutSeconds ? ' (vim-cmd takes no timeout: timeoutSeconds is not applied on this host, ESXi 4.x)' : '';
  return changes(`maintenance mode ${word}${note}`, [{ kind: 'exec', command: maintenanceCommand(args.enabled, facts.esxcli, args.timeoutSeconds) }]);
}

/**
 * Enter or leave maintenance mode; does nothing when the host is already there (esxcli would
 * fail with "already enabled/disabled"). On ESXi 4.x (no esxcli `system`) through vim-cmd, which
 * takes no timeout (the plan says so when one was asked for).
 * @example
 * maintenanceMode({ enabled: true }, { name: 'enter maintenance mode' })
 */
export const maintenanceMode = defineModule({
  name: 'esxi.maintenanceMode',
  description: 'Enter or leave ESXi maintenance mode (idempotent)',
  schema: maintenanceModeSchema,
  gather: async (host) => ({ inMaintenance: await host.fact(maintenanceModeFact, undefined, { fresh: true }), esxcli: await host.fact(esxcliSystemFact, undefined) }),
  plan: planMaintenanceMode,
});
