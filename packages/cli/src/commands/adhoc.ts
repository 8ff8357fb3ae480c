import { ArgumentError, playbook } from '@shipshape/core';
import { parse as parseYaml } from 'yaml';
import { openInventory, runWithReporters, type CommonArgs } from '../execute.js';
import { parseExtraVars } from '../load.js';
import { moduleRegistry } from '../modules.js';

export interface AdhocArgs extends CommonArgs {
  readonly pattern: string;
  readonly module: string;
  readonly args?: string;
  readonly extraVars?: string[];
  readonly become?: boolean;
}

/** Run one module on the hosts matching a pattern. */
export async function adhocCommand(a: AdhocArgs): Promise<number> {
  const registry = await moduleRegistry();
  const factory = registry.get(a.module);
  if (!factory) {
    throw new ArgumentError(`unknown module ${JSON.stringify(a.module)}; known modules: ${[...registry.keys()].sort().join(', ')}`, 'module', a.module);
  }
  let moduleArgs: unknown = {};
  if (a.args) {
    try {
      moduleArgs = parseYaml(a.args);
    } catch (e) {
      throw new ArgumentError(`-a must be a JSON (or YAML) object: ${(e as Error).message}`, 'args', a.args);
    }
  }
  const extraVars = await parseExtraVars(a.extraVars ?? []);
  const inv = await openInventory(a, extraVars);
  const pb = playbook({ name: `adhoc ${a.module}`, hosts: a.pattern, tasks: [factory(moduleArgs, { name: a.module, become: a.become })] });
  return runWithReporters(pb, inv, a, extraVars, inv.warnings ?? []);
}
