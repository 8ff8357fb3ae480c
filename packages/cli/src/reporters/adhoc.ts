/**
 * Ad-hoc output as Ansible's `minimal` callback prints it: `h | CHANGED | rc=0 >>` and the output for
 * command, shell and raw; `h | SUCCESS => {json}` (keys sorted, 4-space indent) for other modules;
 * `h | FAILED! => {...}`, `h | UNREACHABLE! => {...}`, `h | SKIPPED`.
 */
import type { ChalkInstance } from 'chalk';
import type { Reporter, RunEvent, TaskResult } from '@shipshape/core';
import { renderDiffs } from './style.js';

/** Modules whose result Ansible shows as text, not JSON (C.MODULE_NO_JSON). */
const TEXT_MODULES = new Set(['command', 'shell', 'raw']);

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  }
  return v;
}

/** Python's json.dumps(indent=4, sort_keys=True) of the result, as Ansible dumps it. */
export const dumpResult = (result: unknown): string => JSON.stringify(sortKeys(JSON.parse(JSON.stringify(result))), null, 4);

/** The result as an Ansible module returns it: the module's data, `changed`, and why it failed. */
export function ansibleResult(module: string, r: TaskResult): Record<string, unknown> {
  if (module === 'debug' && r.data) return { ...r.data };
  const out: Record<string, unknown> = { changed: r.changed };
  if (r.status === 'failed') {
    if (r.msg !== undefined) out.msg = r.msg;
    for (const k of ['rc', 'stdout', 'stderr'] as const) if (r[k] !== undefined) out[k] = r[k];
  } else if (!r.data && r.msg) out.msg = r.msg;
  return { ...out, ...r.data };
}

function textResult(host: string, caption: string, r: TaskResult): string {
  return `${host} | ${caption} | rc=${r.rc ?? -1} >>\n${r.stdout ?? ''}${r.stderr ?? ''}${r.msg ?? ''}`;
}

export interface AdhocReporterOptions {
  readonly module: string;
  readonly write: (text: string) => void;
  readonly warn: (text: string) => void;
  readonly chalk: ChalkInstance;
  readonly diff: boolean;
}

export function adhocReporter(o: AdhocReporterOptions): Reporter {
  const c = o.chalk;
  const text = TEXT_MODULES.has(o.module);
  return (e: RunEvent) => {
    if (e.type === 'warning') o.warn(c.magenta(`[WARNING]: ${e.msg}`));
    else if (e.type === 'host:unreachable') {
      o.write(c.red(`${e.host} | UNREACHABLE! => ${dumpResult({ changed: false, msg: e.msg, unreachable: true })}`));
    } else if (e.type === 'host:result') {
      const r = e.result;
      if (o.diff && r.diff?.length) o.write(renderDiffs(c, r.diff));
      if (r.status === 'skipped') o.write(c.cyan(`${e.host} | SKIPPED`));
      else if (r.status === 'failed') o.write(c.red(text ? textResult(e.host, 'FAILED', r) : `${e.host} | FAILED! => ${dumpResult(ansibleResult(o.module, r))}`));
      else {
        const caption = r.changed ? 'CHANGED' : 'SUCCESS';
        const line = text ? textResult(e.host, caption, r) : `${e.host} | ${caption} => ${dumpResult(ansibleResult(o.module, r))}`;
        o.write(r.changed ? c.yellow(line) : c.green(line));
      }
    }
  };
}
