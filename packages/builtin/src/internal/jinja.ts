/**
 * Jinja-compatible rendering through nunjucks, configured like Ansible's template module:
 * trim_blocks on, no autoescape, undefined variables are errors, and the Ansible filters most
 * templates use (to_json, to_nice_json, bool, b64encode, regex_replace, quote, ...).
 */
import nunjucks from 'nunjucks';
import { quote, ModuleError, type Vars } from '@shipshape/core';
import { pyFormat, pyJsonDumps, pyPrint, STRING_MEMBERS } from './pyvalues.js';

function addAnsibleFilters(env: nunjucks.Environment): void {
  env.addFilter('to_json', (v: unknown) => pyJsonDumps(v));
  env.addFilter('to_nice_json', (v: unknown, indent = 4) => pyJsonDumps(v, { indent, sortKeys: true }));
  env.addFilter('format', (fmt: string, ...args: unknown[]) => pyFormat(String(fmt), ...args));
  env.addFilter('unique', (v: unknown[]) => [...new Set(v)]);
  env.addFilter('from_json', (v: string) => JSON.parse(v));
  env.addFilter('bool', (v: unknown) => (typeof v === 'string' ? ['yes', 'true', 'on', '1', 'y'].includes(v.toLowerCase()) : v === 1 || v === true));
  env.addFilter('b64encode', (v: string) => Buffer.from(String(v), 'utf8').toString('base64'));
  env.addFilter('b64decode', (v: string) => Buffer.from(String(v), 'base64').toString('utf8'));
  env.addFilter('regex_replace', (v: string, re: string, rep = '') =>
    String(v).replace(new RegExp(re, 'g'), rep.replace(/\\(\d)/g, '$$$1').replace(/\\g<(\w+)>/g, '$$<$1>')));
  env.addFilter('regex_search', (v: string, re: string) => String(v).match(new RegExp(re))?.[0] ?? null);
  env.addFilter('quote', (v: unknown) => quote(String(v)));
  env.addFilter('basename', (v: string) => String(v).replace(/\/+$/, '').split('/').pop() ?? '');
  env.addFilter('dirname', (v: string) => String(v).replace(/\/[^/]*$/, ''));
  env.addFilter('ternary', (v: unknown, a: unknown, b: unknown) => (v ? a : b));
  env.addFilter('combine', (...objs: Record<string, unknown>[]) => Object.assign({}, ...objs));
  env.addFilter('mandatory', (v: unknown) => {
    if (v === undefined || v === null) throw new Error('Mandatory variable not defined.');
    return v;
  });
}

/**
 * Python semantics inside templates: dict/list methods (nunjucks' Jinja compat), str methods, and
 * printing as Python does (True, None, ['a']). nunjucks keeps these hooks on its shared runtime
 * object; this package is its only user in the process.
 */
function installPythonCompat(): void {
  nunjucks.installJinjaCompat();
  const runtime = (nunjucks as unknown as { runtime: Record<string, any> }).runtime;
  const lookup = runtime.memberLookup;
  runtime.memberLookup = function (obj: unknown, val: string, ...rest: unknown[]) {
    if (typeof obj === 'string' && Object.hasOwn(STRING_MEMBERS, val)) return STRING_MEMBERS[val]!.bind(obj);
    return lookup.call(this, obj, val, ...rest);
  };
  const suppress = runtime.suppressValue;
  runtime.suppressValue = (val: unknown, autoescape: boolean) => suppress(pyPrint(val), autoescape);
}

installPythonCompat();
const env = new nunjucks.Environment(null, { autoescape: false, trimBlocks: true, throwOnUndefined: true });
addAnsibleFilters(env);

const trailingNewlines = (s: string) => s.length - s.replace(/\n+$/, '').length;

/**
 * Render template text with vars; errors name the template. Like Ansible: trim_blocks also eats
 * the newline after a comment, and the output keeps at least the template's trailing newlines.
 */
export function renderJinja(text: string, vars: Vars, name: string): string {
  let out: string;
  try {
    out = env.renderString(text.replace(/#}\r?\n/g, '#}'), vars);
  } catch (e) {
    const msg = (e as Error).message.replace(/^\(unknown path\)\s*/, '').replace(/\s+/g, ' ').trim();
    const line = Number(/\[Line (\d+)/.exec(msg)?.[1] ?? 0);
    const near = line ? ` in: ${text.split('\n')[line - 1]!.trim().slice(0, 100)}` : '';
    throw new ModuleError(`template ${name}: ${msg}${near}`, { cause: e });
  }
  return out + '\n'.repeat(Math.max(0, trailingNewlines(text) - trailingNewlines(out)));
}
