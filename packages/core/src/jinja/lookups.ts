/**
 * `lookup()` / `query()` with ansible-core's plugins people use in templates: env, file, vars,
 * items, fileglob, template, first_found, dict, indexed_items, sequence. Files are
 * looked up as Ansible does for a playbook: absolute paths as is, relative ones under the
 * playbook's files/ (templates/ for `template`), then the playbook's directory, then the cwd.
 */
import { execFileSync } from 'node:child_process';
import { opendirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { splitKeywords, TemplateUsageError } from './args.js';
import { shlexSplit } from '../internal/shlex.js';
import { PyTuple, isPlainObject, pyFormat } from './pyvalues.js';

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

/** Python's `int(text, 0)`: decimal without leading zeros, or 0x / 0o / 0b prefixed. */
function pyInt0(text: string, what: string): number {
  const t = text.trim().replace(/_(?=[0-9a-f])/gi, '');
  const m = /^([+-]?)(?:0x([0-9a-f]+)|0o([0-7]+)|0b([01]+)|(0+|[1-9][0-9]*))$/i.exec(t);
  if (!m) throw new TemplateUsageError(`can't parse ${what}=${text} as integer`);
  const n = m[2] ? parseInt(m[2], 16) : m[3] ? parseInt(m[3], 8) : m[4] ? parseInt(m[4], 2) : parseInt(m[5]!, 10);
  return m[1] === '-' ? -n : n;
}

const SEQUENCE_SHORTCUT = /^((0?x?[0-9a-f]+)-)?(0?x?[0-9a-f]+)(\/(0?x?[0-9a-f]+))?(:(.+))?$/is;

/** ansible.builtin.sequence: `[start-]end[/stride][:format]` or `start= end=|count= stride= format=`. */
function sequence(term: string): string[] {
  let start = 1;
  let end: number | undefined;
  let count: number | undefined;
  let stride = 1;
  let format = '%d';
  const m = SEQUENCE_SHORTCUT.exec(term);
  if (m) {
    if (m[2] !== undefined) start = pyInt0(m[2], 'start');
    end = pyInt0(m[3]!, 'end');
    if (m[5] !== undefined) stride = pyInt0(m[5], 'stride');
    if (m[7] !== undefined) format = m[7];
  } else {
    const args: Record<string, string> = {};
    for (const word of shlexSplit(term)) {
      const eq = word.indexOf('=');
      args[eq < 0 ? '_raw_params' : word.slice(0, eq)] = eq < 0 ? word : word.slice(eq + 1);
    }
    const { start: s, end: e, count: c, stride: st, format: f, ...rest } = args;
    if (s !== undefined) start = pyInt0(s, 'start');
    if (e !== undefined) end = pyInt0(e, 'end');
    if (c !== undefined) count = pyInt0(c, 'count');
    if (st !== undefined) stride = pyInt0(st, 'stride');
    if (f !== undefined) format = f;
    if (Object.keys(rest).length) throw new TemplateUsageError(`unrecognized arguments to with_sequence: [${Object.keys(rest).map((k) => `'${k}'`).join(', ')}]`);
  }
  if (count === undefined && end === undefined) throw new TemplateUsageError('must specify count or end in with_sequence');
  if (count !== undefined && end !== undefined) throw new TemplateUsageError("can't specify both count and end in with_sequence");
  if (count !== undefined) {
    if (count !== 0) end = start + count * stride - 1;
    else [start, end, stride] = [0, 0, 0];
  }
  const last = end!;
  if (stride > 0 && last < start) throw new TemplateUsageError('to count backwards make stride negative');
  if (stride < 0 && last > start) throw new TemplateUsageError("to count forward don't make stride negative");
  if (format.split('%').length !== 2) throw new TemplateUsageError(`bad formatting string: ${format}`);
  const out: string[] = [];
  if (stride === 0) return out;
  const stop = last + (stride >= 0 ? 1 : -1);
  for (let i = start; stride > 0 ? i < stop : i > stop; i += stride) out.push(pyFormat(format, i));
  return out;
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
  // Runs on the controller with /bin/sh in the playbook's directory, as Ansible's pipe lookup: its output, trailing whitespace stripped.
  pipe: (terms, _kw, c) => terms.map((t) => {
    try {
      const cwd = typeof c.vars.playbook_dir === 'string' ? c.vars.playbook_dir : undefined;
      return execFileSync('/bin/sh', ['-c', String(t)], { encoding: 'utf8', cwd, stdio: ['ignore', 'pipe', 'inherit'] }).replace(/\s+$/, '');
    } catch (e) {
      throw new TemplateUsageError(`lookup_plugin.pipe(${String(t)}) returned ${(e as { status?: number }).status ?? 'an error'}`);
    }
  }),
  sequence: (terms) => terms.flatMap((t) => sequence(String(t))),
  indexed_items: (terms) => terms.flatMap((t) => (Array.isArray(t) ? t : [t])).map((x, i) => PyTuple.of(i, x)),
};

/** Ansible's lookup(): a list of strings joins with commas, one result is itself, wantlist gives the list. */
export function lookup(c: LookupContext, name: unknown, args: unknown[], wantlist: boolean): unknown {
  const plugin = PLUGINS[String(name).replace(/^ansible\.(?:builtin|legacy)\./, '')];
  if (!plugin) throw new TemplateUsageError(`lookup plugin (${String(name)}) not found`);
  const [terms, kw] = splitKeywords(args);
  const want = wantlist || kw.wantlist === true;
  const { wantlist: _w, ...options } = kw;
  const short = String(name).replace(/^ansible\.(?:builtin|legacy)\./, '');
  const flatTerms = short === 'items' || short === 'indexed_items' || short === 'dict' || short === 'first_found' ? terms : terms.flatMap((t) => (Array.isArray(t) ? t : [t]));
  const ran = plugin(flatTerms, options, c);
  if (want) return ran;
  if (ran.every((r) => typeof r === 'string')) return ran.join(',');
  return ran.length === 1 ? ran[0] : ran;
}
