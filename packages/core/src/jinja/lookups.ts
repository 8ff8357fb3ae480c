/**
 * `lookup()` / `query()` with ansible-core's plugins people use in templates: env, file, vars,
 * items, fileglob, template, first_found, dict, indexed_items, sequence-free basics. Files are
 * looked up as Ansible does for a playbook: absolute paths as is, relative ones under the
 * playbook's files/ (templates/ for `template`), then the playbook's directory, then the cwd.
 */
import { opendirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { splitKeywords, TemplateUsageError } from './args.js';
import { PyTuple, isPlainObject } from './pyvalues.js';

/** What a lookup needs from the render: the vars and a way to render another template. */
export interface LookupContext {
  readonly vars: Record<string, unknown>;
  render(text: string, vars: Record<string, unknown>, name: string): string;
}

function searchPaths(vars: Record<string, unknown>, sub: 'files' | 'templates'): string[] {
  const dir = typeof vars.playbook_dir === 'string' ? vars.playbook_dir : undefined;
  return [...(dir ? [path.join(dir, sub), dir] : []), process.cwd()];
}

function findFile(term: string, vars: Record<string, unknown>, sub: 'files' | 'templates', plugin: string): string | undefined {
  if (path.isAbsolute(term)) return statSync(term, { throwIfNoEntry: false })?.isFile() ? term : undefined;
  for (const dir of searchPaths(vars, sub)) {
    const p = path.join(dir, term);
    if (statSync(p, { throwIfNoEntry: false })?.isFile()) return p;
  }
  void plugin;
  return undefined;
}

function glob(pattern: string): string[] {
  const dir = path.dirname(pattern);
  const re = new RegExp(`^${path.basename(pattern).replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  // Directory order, as Python's glob gives it (readdirSync sorts).
  const names: string[] = [];
  try {
    const d = opendirSync(dir);
    for (let e = d.readSync(); e; e = d.readSync()) names.push(e.name);
    d.closeSync();
  } catch {
    return [];
  }
  return names.filter((n) => re.test(n) && !n.startsWith('.')).map((n) => path.join(dir, n)).filter((p) => statSync(p).isFile());
}

type Plugin = (terms: unknown[], kw: Record<string, unknown>, c: LookupContext) => unknown[];

const PLUGINS: Record<string, Plugin> = {
  env: (terms, kw) => terms.map((t) => process.env[String(t)] ?? kw.default ?? ''),
  file(terms, kw, c) {
    return terms.map((t) => {
      const p = findFile(String(t), c.vars, 'files', 'file');
      if (!p) throw new TemplateUsageError(`The 'file' lookup had an issue accessing the file '${t}'. file not found, use -vvvvv to see paths searched`);
      const text = readFileSync(p, 'utf8');
      return kw.rstrip === false ? text : text.replace(/\s+$/, '');
    });
  },
  vars(terms, kw, c) {
    return terms.map((t) => {
      const name = String(t);
      if (name in c.vars && c.vars[name] !== undefined) return c.vars[name];
      if ('default' in kw) return kw.default;
      throw new TemplateUsageError(`No variable found with this name: ${name}`);
    });
  },
  items: (terms) => terms.flatMap((t) => (Array.isArray(t) ? t : [t])),
  list: (terms) => terms,
  fileglob(terms, _kw, c) {
    return terms.flatMap((t) => {
      const term = String(t);
      if (path.isAbsolute(term)) return glob(term);
      for (const dir of searchPaths(c.vars, 'files')) {
        const found = glob(path.join(dir, term));
        if (found.length) return found;
      }
      return [];
    });
  },
  template(terms, kw, c) {
    return terms.map((t) => {
      const p = findFile(String(t), c.vars, 'templates', 'template');
      if (!p) throw new TemplateUsageError(`the template file ${t} could not be found for the lookup`);
      const extra = isPlainObject(kw.template_vars) ? kw.template_vars : {};
      return c.render(readFileSync(p, 'utf8'), { ...c.vars, ...extra }, p);
    });
  },
  first_found(terms, kw, c) {
    const files = terms.flatMap((t) => (Array.isArray(t) ? t : isPlainObject(t) ? ((t.files as unknown[]) ?? []) : [t])).map(String);
    for (const f of files) {
      const p = findFile(f, c.vars, 'files', 'first_found');
      if (p) return [p];
    }
    if (kw.skip) return [];
    throw new TemplateUsageError('No file was found when using first_found.');
  },
  dict(terms) {
    return terms.flatMap((t) => {
      if (!isPlainObject(t)) throw new TemplateUsageError("with_dict expects a dict");
      return Object.entries(t).map(([key, value]) => ({ key, value }));
    });
  },
  indexed_items: (terms) => terms.flatMap((t) => (Array.isArray(t) ? t : [t])).map((x, i) => PyTuple.of(i, x)),
};

/** Ansible's lookup(): a list of strings joins with commas, one result is itself, wantlist gives the list. */
export function lookup(c: LookupContext, name: unknown, args: unknown[], wantlist: boolean): unknown {
  const plugin = PLUGINS[String(name)];
  if (!plugin) throw new TemplateUsageError(`lookup plugin (${String(name)}) not found`);
  const [terms, kw] = splitKeywords(args);
  const want = wantlist || kw.wantlist === true;
  const { wantlist: _w, ...options } = kw;
  const flatTerms = String(name) === 'items' || String(name) === 'indexed_items' || String(name) === 'dict' || String(name) === 'first_found' ? terms : terms.flatMap((t) => (Array.isArray(t) ? t : [t]));
  const ran = plugin(flatTerms, options, c);
  if (want) return ran;
  if (ran.every((r) => typeof r === 'string')) return ran.join(',');
  return ran.length === 1 ? ran[0] : ran;
}
