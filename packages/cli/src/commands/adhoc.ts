import { ArgumentError, loadJinja, moduleName, parseArgs, playbook, type Dynamic, type TaskContext } from '@shipshape/core';
import { openInventory, requireLimitHosts, runWithReporters, syntaxChecked, type CommonArgs } from '../execute.js';
import { parseExtraVars } from '../load.js';
import { moduleRegistry } from '../modules.js';
import { parseKv } from '../parse-kv.js';
import { adhocReporter } from '../reporters/adhoc.js';

export interface AdhocArgs extends CommonArgs {
  readonly pattern: string;
  /** @default 'command' (as Ansible's DEFAULT_MODULE_NAME) */
  readonly module?: string;
  readonly args?: string;
  readonly extraVars?: string[];
  readonly become?: boolean;
}

/** Modules that take free-form text (`-a 'uname -a'`) and need arguments (C.MODULE_REQUIRE_ARGS). */
const FREE_FORM = new Set(['command', 'shell', 'raw', 'script']);
/** Modules that render their own arguments (expressions stay expressions: assert's `that`, debug's `var`). */
const SELF_RENDERING = new Set(['debug', 'assert', 'fail', 'set_fact']);
const TEMPLATED = /{{|{%/;

/** `-a` as Ansible reads it: a JSON object when it looks like one and parses, else key=value words. */
export function adhocArgs(module: string, text: string | undefined): Record<string, unknown> {
  if (text === undefined || text === '') return {};
  if (text.startsWith('{') && text.endsWith('}')) {
    try {
      const v: unknown = JSON.parse(text.trim());
      if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    } catch {
      // Not JSON: Ansible reads it as key=value words then.
    }
  }
  return parseKv(text, FREE_FORM.has(module));
}

/** Run one module on the hosts matching a pattern, printing results as Ansible's `ansible` does. */
export async function adhocCommand(a: AdhocArgs): Promise<number> {
  const name = moduleName(a.module ?? 'command');
  const registry = await moduleRegistry();
  const factory = registry.get(name)?.factory;
  if (!factory) {
    throw new ArgumentError(`unknown module ${JSON.stringify(name)}; known modules: ${[...registry.keys()].sort().join(', ')}`, 'module', name);
  }
  if (FREE_FORM.has(name) && !a.args) throw new ArgumentError(`No argument passed to ${name} module`, 'args');
  const moduleArgs = adhocArgs(name, a.args);
  const templated = !SELF_RENDERING.has(name) && TEMPLATED.test(JSON.stringify(moduleArgs));
  // Static arguments are checked before any host is touched; templated ones once rendered per host.
  if (!templated) parseArgs(factory.module, moduleArgs, name);
  const { renderArgs } = await import('@shipshape/builtin');
  if (templated) await loadJinja();
  const args: Dynamic<unknown> = templated ? (c: TaskContext) => renderArgs(moduleArgs, c.vars, `-a of ${name}`) : moduleArgs;
  const extraVars = await parseExtraVars(a.extraVars ?? []);
  const inv = await openInventory(a, extraVars);
  const selection = inv.selectWithWarnings(a.pattern, a.limit);
  if (a.limit !== undefined) requireLimitHosts(selection);
  const pb = playbook({ name: `adhoc ${name}`, hosts: a.pattern, tasks: [factory(args, { name, become: a.become })] });
  if (a.syntaxCheck) return syntaxChecked(inv, [a.pattern], a.limit);
  const warnings = [...new Set([...(inv.warnings ?? []), ...selection.warnings])];
  if (selection.hosts.length === 0) warnings.push('No hosts matched, nothing to do');
  return runWithReporters(pb, inv, a, extraVars, warnings, process.cwd(), (chalk) => adhocReporter({
    module: name, chalk, diff: !!a.diff,
    write: (s) => process.stdout.write(`${s}\n`), warn: (s) => process.stderr.write(`${s}\n`),
  }));
}
