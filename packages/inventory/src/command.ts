/** The whole `shipshape inventory` subcommand as one function, so the CLI stays thin. */
import { ArgumentError, type Vars } from '@shipshape/core';
import { loadInventory } from './inventory.js';
import { listHosts, renderGraph, renderHost, renderList } from './render.js';

export interface InventoryCommandOptions {
  /** `-i`: one or more inventory sources. */
  readonly inventory: string | readonly string[];
  readonly list?: boolean;
  /** `--host NAME` */
  readonly host?: string;
  /** `--graph [GROUP]`: true for `all`. */
  readonly graph?: boolean | string;
  readonly listHosts?: boolean;
  /** Pattern for --list-hosts. @default 'all' */
  readonly pattern?: string;
  /** `--limit` */
  readonly limit?: string;
  readonly playbookDir?: string;
  readonly extraVars?: Vars;
  readonly vaultPasswordFile?: string | readonly string[];
  readonly sshConfigPath?: string | false;
  /** Receives warnings (unknown pattern names...); print them on stderr. */
  readonly onWarning?: (message: string) => void;
}

/**
 * Run `shipshape inventory` and return the exact text to print (no trailing newline).
 * @example
 * process.stdout.write(await inventoryCommand({ inventory: 'hosts.ini', list: true }) + '\n');
 */
export async function inventoryCommand(options: InventoryCommandOptions): Promise<string> {
  const actions = [options.list, options.host !== undefined, !!options.graph, options.listHosts].filter(Boolean).length;
  if (actions !== 1) {
    throw new ArgumentError('give exactly one of --list, --host NAME, --graph, --list-hosts', 'action', undefined);
  }
  const inv = await loadInventory(options.inventory, {
    playbookDir: options.playbookDir,
    extraVars: options.extraVars,
    vaultPasswordFile: options.vaultPasswordFile,
    sshConfigPath: options.sshConfigPath,
  });
  let text: string;
  if (options.list) text = renderList(inv);
  else if (options.host !== undefined) text = renderHost(inv, options.host);
  else if (options.graph) text = renderGraph(inv, typeof options.graph === 'string' ? options.graph : 'all');
  else text = listHosts(inv, options.pattern ?? 'all', options.limit).join('\n');
  for (const w of inv.warnings) options.onWarning?.(w);
  return text;
}
