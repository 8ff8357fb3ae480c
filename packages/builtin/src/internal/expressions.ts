/**
 * Ansible-style expressions over a host's vars, for debug, assert and set_fact (rendered with the Jinja
 * engine, which callers load first: `await loadJinja()`).
 */
import { defineModule, loadedJinja, loadJinja, ModuleError, OMIT, type ModuleFactory, type ModuleSpec, type Vars } from '@shipshape/core';
import type { z } from 'zod';

/**
 * A module that works on the controller alone (debug, assert, fail, set_fact): its facts are what
 * `evaluate` makes of the args over the host's vars, the Jinja engine loaded first; it touches no host.
 */
export function varsModule<S extends z.ZodTypeAny, F, R = Record<string, unknown>>(
  spec: Omit<ModuleSpec<S, F, R>, 'gather'> & { evaluate(args: z.output<S>, vars: Vars): F },
): ModuleFactory<S> {
  const { evaluate, ...rest } = spec;
  return defineModule({
    ...rest,
    gather: async (host, args) => {
      await loadJinja();
      return evaluate(args, host.vars);
    },
  });
}

function renderJinja(text: string, vars: Vars, name: string): string {
  const jinja = loadedJinja();
  if (!jinja) throw new ModuleError(`${name}: the Jinja engine is not loaded (await loadJinja() first)`);
  return jinja.renderJinja(text, vars, name);
}

const TEMPLATED = /{{|{%/;

/**
 * A value with `{{ }}` / `{% %}` in its strings rendered with the vars (recursively through lists and dicts), as
 * Ansible's Templar renders module args: one whole expression keeps a list, dict, bool, None or Secret as such.
 */
export function renderValue(value: unknown, vars: Vars, name: string): unknown {
  if (typeof value === 'string' && !TEMPLATED.test(value)) return value;
  const jinja = loadedJinja();
  if (!jinja) throw new ModuleError(`${name}: the Jinja engine is not loaded (await loadJinja() first)`);
  return jinja.templateValue(value, vars, name);
}

/** Ansible's remove_omit: dict entries that rendered to `omit` are dropped, recursively through dicts and lists. */
export function removeOmit(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(removeOmit);
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== OMIT).map(([k, v]) => [k, removeOmit(v)]));
}

/** Module args rendered as Ansible's task executor renders them: templated, then what is `omit` dropped. */
export function renderArgs(value: unknown, vars: Vars, name: string): unknown {
  return removeOmit(renderValue(value, vars, name));
}

/** A message arg rendered; `omit` (or none) gives the module's default, as if the arg were not there. */
export function renderMessage(value: unknown, vars: Vars, name: string, fallback: string): unknown {
  const v = value === undefined ? OMIT : renderValue(value, vars, name);
  return v === OMIT ? fallback : v;
}

/** `{% if expr %}`: what Ansible's conditionals (assert's `that`, `when`) evaluate an expression to. */
export function evaluateCondition(expr: string, vars: Vars, name: string): boolean {
  const bare = expr.trim().replace(/^{{\s*([\s\S]*?)\s*}}$/, '$1');
  return renderJinja(`{% if ${bare} %}True{% else %}False{% endif %}`, vars, name) === 'True';
}

const UNDEFINED = Symbol('undefined');
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\]|\[(?:'[^']*'|"[^"]*")\])*$/;

/** A dotted/indexed var path looked up directly (`a.b[0]['c']`); UNDEFINED when any step is missing. */
function lookupPath(path: string, vars: Vars): unknown {
  let v: unknown = vars;
  for (const m of path.matchAll(/([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/g)) {
    const key = m[1] ?? m[2] ?? m[3] ?? m[4]!;
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return UNDEFINED;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** debug's `var`: the value of a var path or expression; undefined when the expression names an undefined var. */
export function evaluateVar(expr: string, vars: Vars, name: string): { defined: boolean; value?: unknown } {
  if (PATH.test(expr)) {
    const v = lookupPath(expr, vars);
    return v === UNDEFINED ? { defined: false } : { defined: true, value: v };
  }
  try {
    return { defined: true, value: JSON.parse(renderJinja(`{{ (${expr}) | to_json }}`, vars, name)) };
  } catch (e) {
    if (/undefined/i.test((e as Error).message)) return { defined: false };
    throw e;
  }
}
