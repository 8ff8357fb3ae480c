/**
 * Jinja2 as ansible-core 2.14's template module renders it, on nunjucks: trim_blocks on, no
 * autoescape, keep_trailing_newline, undefined variables are errors, Python semantics for values
 * (python.ts), Jinja's and Ansible's filters, tests and lookups. An unknown filter, test or lookup
 * is an error naming it.
 */
import nunjucks from 'nunjucks';
import { ModuleError } from '../errors.js';
import { Secret } from '../command.js';
import type { Vars } from '../types.js';
import { splitKeywords, TemplateUsageError } from './args.js';
import { ansibleFilters } from './filters-ansible.js';
import { jinjaFilters, type FilterFn } from './filters-jinja.js';
import { jinjaLiterals, singleExpression } from './literals.js';
import { lookup, type LookupContext } from './lookups.js';
import { installPython } from './python.js';
import { PyFloat, PyTuple, isPlainObject, pyFormat, revealed } from './pyvalues.js';
import { TESTS } from './tests.js';

installPython(nunjucks, pyFormat);

const env = new nunjucks.Environment(null, { autoescape: false, trimBlocks: true, throwOnUndefined: true });
const filters: Record<string, FilterFn> = {};
/** `ansible.builtin.x` and `ansible.legacy.x` name the builtin `x`, as in Ansible. */
const builtinName = (name: string) => name.replace(/^ansible\.(?:builtin|legacy)\./, '');
const getFilter = (name: string): FilterFn => {
  const f = filters[builtinName(name)];
  if (!f) throw new TemplateUsageError(`No filter named '${name}'.`);
  return f;
};
const getTest = (name: string) => {
  const t = TESTS[builtinName(name)];
  if (!t) throw new TemplateUsageError(`No test named '${name}'.`);
  return t;
};
Object.assign(filters, jinjaFilters(getTest, getFilter), ansibleFilters(), {
  format: (fmt: unknown, ...args: unknown[]) => pyFormat(String(fmt), ...args),
});
for (const [name, fn] of Object.entries(filters)) env.addFilter(name, fn);
for (const [name, fn] of Object.entries(TESTS)) (env as unknown as { addTest(n: string, f: unknown): void }).addTest(name, fn);
// Only ours: nunjucks' built-ins that Ansible lacks must not answer in its place.
(env as unknown as { getFilter(n: string): FilterFn }).getFilter = getFilter;
(env as unknown as { getTest(n: string): unknown }).getTest = getTest;

function lookupContext(ctx: { ctx: Vars }): LookupContext {
  return { vars: ctx.ctx, render: (text, vars, name) => renderJinja(text, vars, name) };
}
env.addGlobal('lookup', function (this: { ctx: Vars }, name: unknown, ...args: unknown[]) {
  return lookup(lookupContext(this), name, args, false);
});
const query = function (this: { ctx: Vars }, name: unknown, ...args: unknown[]) {
  return lookup(lookupContext(this), name, args, true);
};
env.addGlobal('query', query);
env.addGlobal('q', query);
env.addGlobal('range', (a: number, b?: number, step = 1) => {
  const [start, stop] = b === undefined ? [0, a] : [a, b];
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
});
env.addGlobal('dict', (...args: unknown[]) => {
  const [pos, kw] = splitKeywords(args);
  const from = pos[0];
  const base = Array.isArray(from) ? Object.fromEntries(from.map((p) => [String((p as unknown[])[0]), (p as unknown[])[1]])) : (from as object);
  return { ...base, ...kw };
});
env.addGlobal('namespace', (...args: unknown[]) => ({ ...splitKeywords(args)[1] }));

// The nunjucks context copies the vars it is given key by key; copy property descriptors instead,
// so lazily rendered vars (getters) are only rendered when a template uses them.
(function keepGettersLazy(): void {
  let proto: { init: (this: { ctx: object }, ctx: object, ...rest: unknown[]) => void } | undefined;
  env.addGlobal('__context_probe', function (this: object) {
    proto = Object.getPrototypeOf(this);
    return '';
  });
  env.renderString('{{ __context_probe() }}', {});
  const init = proto!.init;
  proto!.init = function (this: { ctx: object }, ctx: object, ...rest: unknown[]) {
    init.call(this, {}, ...rest);
    this.ctx = Object.defineProperties({}, Object.getOwnPropertyDescriptors(ctx ?? {}));
  };
})();

const trailingNewlines = (s: string) => s.length - s.replace(/\n+$/, '').length;

function templateError(e: unknown, text: string, name: string): ModuleError {
  if (e instanceof ModuleError) return e;
  const raw = (e as Error).message ?? String(e);
  const msg = raw.replace(/^\(unknown path\)\s*/, '').replace(/\s+/g, ' ').replace(/^\[Line \d+, Column \d+\] /, '').replace(/^Error: /, '').trim();
  const line = Number(/\[Line (\d+)/.exec(raw)?.[1] ?? 0);
  const near = line ? ` (line ${line}: ${text.split('\n')[line - 1]!.trim().slice(0, 100)})` : '';
  return new ModuleError(`template ${name}: ${msg}${near}`, { cause: e });
}

/**
 * Render template text with vars, byte for byte as Ansible's template module: trim_blocks
 * (which also eats the newline after a comment), and the template's trailing newlines kept.
 * Secrets are written in clear: this is the text that goes to the host.
 */
export function renderJinja(text: string, vars: Vars, name: string): string {
  return renderWithSecrets(text, vars, name).text;
}

/** renderJinja, also returning the secret values the text now holds (to mask what is shown). */
export function renderWithSecrets(text: string, vars: Vars, name: string): { text: string; secrets: string[] } {
  return render(text, vars, name, false);
}

/** `ansibleArgs`: as Ansible's Templar renders module args and vars, backslashes in `{{ }}` literals doubled first. */
function render(text: string, vars: Vars, name: string, ansibleArgs: boolean): { text: string; secrets: string[] } {
  const outer = revealed.current;
  const secrets: string[] = [];
  revealed.current = secrets;
  let out: string;
  try {
    out = env.renderString(jinjaLiterals(text, ansibleArgs).replace(/#}\r?\n/g, '#}'), vars);
  } catch (e) {
    throw templateError(e, text, name);
  } finally {
    revealed.current = outer;
    outer?.push(...secrets);
  }
  return { text: out + '\n'.repeat(Math.max(0, trailingNewlines(text) - trailingNewlines(out))), secrets };
}

const SINGLE_VAR = /^\{\{\s*(\w*)\s*\}\}$/;

/** Does this string need templating? */
export const isTemplated = (s: string): boolean => s.includes('{{') || s.includes('{%') || s.includes('{#');

/**
 * A var's value templated as Ansible's Templar does it: strings with `{{ }}` render (one whole
 * expression keeps a list, dict, bool or Secret as such; other results are strings), lists and
 * dicts render item by item. A Secret used in a string makes the result a Secret.
 */
export function templateValue(value: unknown, vars: Vars, name: string): unknown {
  if (typeof value === 'string') {
    if (!isTemplated(value)) return value;
    // Ansible's Templar: `{{ name }}` naming a number, bool or None gives it as is.
    const bare = SINGLE_VAR.exec(value)?.[1];
    if (bare && bare in vars) {
      const v = vars[bare];
      if (typeof v === 'number' || typeof v === 'boolean' || v === null || v instanceof PyFloat) return v;
    }
    const single = singleExpression(value);
    if (single !== undefined) {
      let captured: unknown;
      const probe = { ...{}, __capture: (v: unknown) => ((captured = v), '') };
      const scope = Object.defineProperties(Object.defineProperties({}, Object.getOwnPropertyDescriptors(vars)), Object.getOwnPropertyDescriptors(probe));
      render(`{{ __capture(${single}) }}`, scope, name, true);
      if (captured instanceof Secret || typeof captured === 'boolean' || Array.isArray(captured) || isPlainObject(captured)) {
        return captured instanceof PyTuple ? [...captured] : captured;
      }
    }
    const r = render(value, vars, name, true);
    return r.secrets.length ? new Secret(r.text) : r.text;
  }
  if (Array.isArray(value)) return value.map((v, i) => templateValue(v, vars, `${name}[${i}]`));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, templateValue(v, vars, `${name}.${k}`)]));
  return value;
}
