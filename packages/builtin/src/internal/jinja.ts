/**
 * Jinja-compatible rendering through nunjucks, configured like Ansible's template module:
 * trim_blocks on, no autoescape, undefined variables are errors, and the Ansible filters most
 * templates use (to_json, to_nice_json, bool, b64encode, regex_replace, quote, ...).
 */
import nunjucks from 'nunjucks';
import { quote, ModuleError, type Vars } from '@shipshape/core';

function addAnsibleFilters(env: nunjucks.Environment): void {
  env.addFilter('to_json', (v: unknown) => JSON.stringify(v));
  env.addFilter('to_nice_json', (v: unknown, indent = 4) => JSON.stringify(v, null, indent));
  env.addFilter('from_json', (v: string) => JSON.parse(v));
  env.addFilter('bool', (v: unknown) => (typeof v === 'string' ? ['yes', 'true', 'on', '1', 'y'].includes(v.toLowerCase()) : Boolean(v)));
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

const env = new nunjucks.Environment(null, { autoescape: false, trimBlocks: true, throwOnUndefined: true });
addAnsibleFilters(env);

/** Render template text with vars; errors name the template. */
export function renderJinja(text: string, vars: Vars, name: string): string {
  try {
    return env.renderString(text, vars);
  } catch (e) {
    throw new ModuleError(`template ${name}: ${(e as Error).message}`, { cause: e });
  }
}
