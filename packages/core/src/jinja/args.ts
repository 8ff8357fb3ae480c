/** Python-style argument binding for filters, tests and lookups called from templates. */
import { isKeywords } from './pyvalues.js';
import { TemplateUsageError } from './errors.js';

export { TemplateUsageError };

/**
 * Bind positional and keyword arguments to named parameters with defaults, as Python does;
 * an unknown keyword or too many arguments is an error naming the callee.
 */
export function bind(callee: string, params: readonly string[], defaults: Record<string, unknown>, args: unknown[]): Record<string, any> {
  const kw = args.length && isKeywords(args[args.length - 1]) ? (args[args.length - 1] as Record<string, unknown>) : undefined;
  const pos = kw ? args.slice(0, -1) : args;
  if (pos.length > params.length) throw new TemplateUsageError(`${callee}() takes at most ${params.length} arguments (${pos.length} given)`);
  const out: Record<string, any> = { ...defaults };
  pos.forEach((v, i) => (out[params[i]!] = v));
  for (const [k, v] of Object.entries(kw ?? {})) {
    if (k === '__keywords') continue;
    if (!params.includes(k)) throw new TemplateUsageError(`${callee}() got an unexpected keyword argument '${k}'`);
    out[k] = v;
  }
  return out;
}

/** Split trailing keyword arguments off: (positional, keywords). */
export function splitKeywords(args: unknown[]): [unknown[], Record<string, unknown>] {
  if (args.length && isKeywords(args[args.length - 1])) {
    const { __keywords: _k, ...kw } = args[args.length - 1] as Record<string, unknown>;
    return [args.slice(0, -1), kw];
  }
  return [args, {}];
}
