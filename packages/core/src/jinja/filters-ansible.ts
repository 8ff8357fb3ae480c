/**
 * ansible-core 2.14's filters (ansible.builtin): data shaping, sets, encodings, hashes, regular
 * expressions with Python's `re` semantics, paths, sizes and dates.
 */
import { createHash } from 'node:crypto';
import * as posix from 'node:path/posix';
import { pyCompile, pySearch, pySubn } from '../pyregex.js';
import { bind, splitKeywords, TemplateUsageError } from './args.js';
import { attrGetter, iterate, unique, type FilterFn } from './filters-jinja.js';
import { PyDatetime, strptime } from './pydatetime.js';
import { passwordHash } from './pycrypt.js';
import { PyRandom } from './pyrandom.js';
import { dumpYaml, loadYaml } from './pyyaml.js';
import { PyFloat, PyTuple, isPlainObject, pyEq, pyJsonDumps, pySplit, pyStrOf, pyTruth, pyType } from './pyvalues.js';

const str = (v: unknown) => pyStrOf(v);

/** Ansible's `bool` filter. */
export function toBool(v: unknown): boolean {
  if (typeof v === 'boolean' || v === null || v === undefined) return !!v;
  const s = str(v).toLowerCase();
  return ['yes', 'on', '1', 'true', 'y', 't'].includes(s);
}

function combine(dicts: unknown[], recursive: boolean, listMerge: string): Record<string, unknown> {
  const merge = (a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...a };
    for (const [k, v] of Object.entries(b)) {
      const old = out[k];
      if (recursive && isPlainObject(old) && isPlainObject(v)) out[k] = merge(old, v);
      else if (Array.isArray(old) && Array.isArray(v) && listMerge !== 'replace') {
        if (listMerge === 'keep') out[k] = old;
        else if (listMerge === 'append') out[k] = [...old, ...v];
        else if (listMerge === 'prepend') out[k] = [...v, ...old];
        else if (listMerge === 'append_rp') out[k] = [...old.filter((x) => !v.some((y) => pyEq(x, y))), ...v];
        else if (listMerge === 'prepend_rp') out[k] = [...v, ...old.filter((x) => !v.some((y) => pyEq(x, y)))];
        else throw new TemplateUsageError(`combine: list_merge must be one of replace, keep, append, prepend, append_rp, prepend_rp, not '${listMerge}'`);
      } else out[k] = v;
    }
    return out;
  };
  let out: Record<string, unknown> = {};
  for (const d of dicts.flat()) {
    if (!isPlainObject(d)) throw new TemplateUsageError(`combine: expected dicts, got ${pyType(d)}`);
    out = merge(out, d);
  }
  return out;
}

function flatten(v: unknown[], levels: number | null, skipNulls: boolean): unknown[] {
  const out: unknown[] = [];
  for (const x of v) {
    if (skipNulls && (x === null || x === 'None' || x === 'null')) continue;
    if (Array.isArray(x) && (levels === null || levels > 0)) out.push(...flatten(x, levels === null ? null : levels - 1, skipNulls));
    else out.push(x);
  }
  return out;
}

function product(lists: unknown[][]): PyTuple[] {
  return lists.reduce<PyTuple[]>((acc, list) => acc.flatMap((t) => list.map((x) => PyTuple.of(...t, x))), [PyTuple.of()]);
}

const SIZE_UNITS = ['', 'K', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];

/** Ansible's human_readable: '%.2f %s' with Bytes/KB/MB... or bits/Kb/Mb... */
function humanReadable(size: number, isbits: boolean, unit: string | null): string {
  const suffix = isbits ? 'bits' : 'Bytes';
  const unitSuffix = isbits ? 'b' : 'B';
  let i = SIZE_UNITS.length - 1;
  if (unit) i = SIZE_UNITS.indexOf(unit[0]!.toUpperCase());
  else while (i > 0 && size < 2 ** (10 * i)) i--;
  const value = size / 2 ** (10 * i);
  return `${value.toFixed(2)} ${i === 0 ? suffix : SIZE_UNITS[i] + unitSuffix}`;
}

function humanToBytes(text: string, defaultUnit: string | null, isbits: boolean): number {
  const m = /^\s*(\d*\.?\d*)\s*([A-Za-z]+)?\s*$/.exec(text);
  if (!m || m[1] === '') throw new TemplateUsageError(`human_to_bytes() can't interpret following string: ${text}`);
  const unit = m[2] ?? defaultUnit ?? '';
  const prefix = unit ? unit[0]!.toUpperCase() : '';
  const i = prefix === 'B' ? 0 : SIZE_UNITS.indexOf(prefix);
  if (i < 0) throw new TemplateUsageError(`human_to_bytes() failed to convert ${text}. Value is not a valid string`);
  const rest = unit.slice(1);
  if (unit && prefix !== 'B' && rest !== '' && rest !== (isbits ? 'b' : 'B') && rest.toLowerCase() !== 'ib' && !(rest === 'bit' || rest === 'bits' || rest === 'bytes' || rest === 'byte')) {
    throw new TemplateUsageError(`human_to_bytes() failed to convert ${text}. Value is not a valid string`);
  }
  return Math.round(Number(m[1]) * 2 ** (10 * i));
}

/** The regex options Ansible's regex_* filters take. */
function flags(a: { ignorecase?: unknown; multiline?: unknown }) {
  return { i: pyTruth(a.ignorecase), m: pyTruth(a.multiline) };
}

function regexSearch(value: unknown, regex: unknown, args: unknown[]): unknown {
  const [pos, kw] = splitKeywords(args);
  const rx = pyCompile(str(regex), 'regex_search', flags(kw));
  const m = pySearch(rx, str(value));
  if (!m) return null;
  if (!pos.length) return m[0];
  return pos.map((p) => {
    const g = /^\\(?:(\d+)|g<(\w+)>)$/.exec(str(p));
    if (!g) throw new TemplateUsageError(`regex_search: unknown argument ${str(p)}`);
    return (g[1] !== undefined ? m[Number(g[1])] : m.groups?.[g[2]!]) ?? null;
  });
}

function regexFindall(value: unknown, regex: unknown, a: Record<string, unknown>): unknown[] {
  const rx = pyCompile(str(regex), 'regex_findall', flags(a));
  const out: unknown[] = [];
  for (const m of str(value).matchAll(rx.global)) {
    const groups = m.slice(1).map((g) => g ?? '');
    out.push(groups.length === 0 ? m[0] : groups.length === 1 ? groups[0] : PyTuple.of(...groups));
  }
  return out;
}

/** Python's shlex.quote. */
const shlexQuote = (s: string) => (s === '' ? "''" : /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'"'"'`)}'`);

const hash = (alg: string, v: unknown) => createHash(alg).update(str(v), 'utf8').digest('hex');

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const dirname = (p: string) => {
  const i = p.lastIndexOf('/') + 1;
  const head = p.slice(0, i);
  return head && head !== '/'.repeat(head.length) ? head.replace(/\/+$/, '') : head;
};
function splitext(p: string): PyTuple<string> {
  const base = basename(p);
  const dot = base.lastIndexOf('.');
  if (dot <= 0 || /^\.+$/.test(base.slice(0, dot + 1))) return PyTuple.of(p, '');
  const cut = p.length - base.length + dot;
  return PyTuple.of(p.slice(0, cut), p.slice(cut));
}

/** Python's re.escape (3.7+): only regex syntax characters and whitespace are escaped. */
const regexEscape = (s: string) => s.replace(/[()[\]{}?*+\-|^$\\.&~# \t\n\r\v\f]/g, '\\$&');

/** uuid5 in Ansible's namespace (to_uuid's default). */
function uuid5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const h = createHash('sha1').update(ns).update(Buffer.from(name, 'utf8')).digest().subarray(0, 16);
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** urlsplit: Python's urllib.parse.urlsplit as a dict, or one of its fields. */
function urlsplit(v: string, query: string): unknown {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s.exec(v)!;
  const netloc = m[2] ?? '';
  const auth = netloc.includes('@') ? netloc.slice(0, netloc.lastIndexOf('@')) : '';
  const hostport = netloc.slice(netloc.lastIndexOf('@') + 1);
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(hostport);
  const host = hp?.[1] ? hp[1].replace(/^\[|\]$/g, '').toLowerCase() : null;
  const fields: Record<string, unknown> = {
    fragment: m[5] ?? '', hostname: host, netloc, password: auth.includes(':') ? auth.slice(auth.indexOf(':') + 1) : null,
    path: m[3] ?? '', port: hp?.[2] ? Number(hp[2]) : null, query: m[4] ?? '', scheme: (m[1] ?? '').toLowerCase(),
    username: auth ? auth.split(':')[0] : null,
  };
  if (!query) return fields;
  if (!(query in fields)) throw new TemplateUsageError(`urlsplit: unknown URL component: ${query}`);
  return fields[query];
}

const COMMENT_STYLES: Record<string, { beginning?: string; decoration: string; end?: string }> = {
  plain: { decoration: '# ' }, erlang: { decoration: '% ' }, c: { decoration: '// ' }, cblock: { beginning: '/*', decoration: ' * ', end: ' */' }, xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
};

/** Ansible's `comment` filter (plugins/filter/core.py), parameter for parameter. */
function comment(text: string, style: string, kw: Record<string, unknown>): string {
  const styleParams = COMMENT_STYLES[style];
  if (!styleParams) throw new TemplateUsageError(`comment: unknown style ${style}`);
  const prepostfix = String(kw.decoration ?? styleParams.decoration).replace(/\s+$/, '');
  const defaults: Record<string, unknown> = { newline: '\n', beginning: '', prefix: prepostfix, prefix_count: 1, decoration: '', postfix: prepostfix, postfix_count: 1, end: '' };
  const p = { ...defaults, ...styleParams, ...kw } as Record<string, any>;
  const nl = String(p.newline);
  const deco = String(p.decoration);
  const beginning = p.beginning ? `${p.beginning}${nl}` : '';
  const prefix = p.prefix ? (p.prefix !== nl ? `${p.prefix}${nl}` : nl).repeat(Number(p.prefix_count)) : '';
  const body = `${deco}${text.split(nl).join(`${nl}${deco}`)}`.split(`${deco}${nl}`).join(`${deco.replace(/\s+$/, '')}${nl}`);
  const postfix = ['', ...Array.from({ length: Number(p.postfix_count) }, () => String(p.postfix))].join(nl);
  const end = p.end ? `${nl}${p.end}` : '';
  return `${beginning}${prefix}${body}${postfix}${end}`;
}

export function ansibleFilters(): Record<string, FilterFn> {
  return {
    bool: (v) => toBool(v),
    ternary(v, ...args) {
      const a = bind('ternary', ['true_val', 'false_val', 'none_val'], { none_val: null }, args);
      if ((v === null || v === undefined) && a.none_val !== null) return a.none_val;
      return pyTruth(v) ? a.true_val : a.false_val;
    },
    mandatory(v, ...args) {
      const a = bind('mandatory', ['msg'], { msg: null }, args);
      if (v === undefined) throw new TemplateUsageError(a.msg ?? 'Mandatory variable not defined.');
      return v;
    },
    to_json(v, ...args) {
      const [, kw] = splitKeywords(args);
      return pyJsonDumps(v, { sortKeys: pyTruth(kw.sort_keys), indent: kw.indent as number | undefined, ensureAscii: kw.ensure_ascii !== false });
    },
    to_nice_json(v, ...args) {
      const a = bind('to_nice_json', ['indent', 'sort_keys'], { indent: 4, sort_keys: true }, args);
      return pyJsonDumps(v, { indent: Number(a.indent), sortKeys: pyTruth(a.sort_keys) });
    },
    from_json: (v) => JSON.parse(str(v)),
    to_yaml(v, ...args) {
      const [, kw] = splitKeywords(args);
      return dumpYaml(v, { indent: (kw.indent as number | undefined) ?? 2, flow: kw.default_flow_style === undefined ? null : pyTruth(kw.default_flow_style) });
    },
    to_nice_yaml(v, ...args) {
      const a = bind('to_nice_yaml', ['indent'], { indent: 4 }, args);
      return dumpYaml(v, { indent: Number(a.indent), flow: false });
    },
    from_yaml: (v) => (typeof v === 'string' ? loadYaml(v) : v),
    b64encode: (v) => Buffer.from(str(v), 'utf8').toString('base64'),
    b64decode: (v) => Buffer.from(str(v), 'base64').toString('utf8'),
    random(v, ...args) {
      const a = bind('random', ['start', 'step', 'seed'], { start: null, step: null, seed: null }, args);
      const r = new PyRandom(a.seed);
      if (typeof v === 'number' && Number.isInteger(v)) return r.randrange(pyTruth(a.start) ? Number(a.start) : 0, v, pyTruth(a.step) ? Number(a.step) : 1);
      if (typeof v === 'string' || Array.isArray(v)) {
        if (pyTruth(a.start) || pyTruth(a.step)) throw new TemplateUsageError('start and step can only be used with integer values');
        return r.choice(typeof v === 'string' ? [...v] : v);
      }
      throw new TemplateUsageError('random can only be used on sequences and integers');
    },
    shuffle(v, ...args) {
      const a = bind('shuffle', ['seed'], { seed: null }, args);
      const list = typeof v === 'string' ? [...v] : Array.isArray(v) ? [...v] : isPlainObject(v) ? Object.keys(v) : [v];
      return new PyRandom(pyTruth(a.seed) ? a.seed : null).shuffle(list);
    },
    to_uuid(v, ...args) {
      const a = bind('to_uuid', ['namespace'], { namespace: '361E6D51-FAEC-444A-9079-341386DA8E2E' }, args);
      return uuid5(str(v), str(a.namespace));
    },
    urlsplit(v, ...args) {
      const a = bind('urlsplit', ['query'], { query: '' }, args);
      return urlsplit(str(v), str(a.query));
    },
    comment(v, ...args) {
      const [pos, kw] = splitKeywords(args);
      return comment(str(v), String(pos[0] ?? kw.style ?? 'plain'), Object.fromEntries(Object.entries(kw).filter(([k]) => k !== 'style')));
    },
    log(v, ...args) {
      const a = bind('log', ['base'], { base: Math.E }, args);
      return new PyFloat(Number(a.base) === 10 ? Math.log10(Number(v)) : Math.log(Number(v)) / Math.log(Number(a.base)));
    },
    pow: (v, y) => new PyFloat(Math.pow(Number(v), Number(y))),
    root(v, ...args) {
      const a = bind('root', ['base'], { base: 2 }, args);
      const b = Number(a.base);
      return new PyFloat(b === 2 ? Math.sqrt(Number(v)) : Math.pow(Number(v), 1 / b));
    },
    password_hash(v, ...args) {
      const a = bind('password_hash', ['hashtype', 'salt', 'salt_size', 'rounds', 'ident'], { hashtype: 'sha512', salt: null, salt_size: null, rounds: null, ident: null }, args);
      return passwordHash(str(v), str(a.hashtype), a.salt === null ? null : str(a.salt), a.salt_size === null ? null : Number(a.salt_size), a.rounds === null ? null : Number(a.rounds));
    },
    hash(v, ...args) {
      const a = bind('hash', ['hashtype'], { hashtype: 'sha1' }, args);
      return hash(String(a.hashtype), v);
    },
    checksum: (v) => hash('sha1', v),
    sha1: (v) => hash('sha1', v),
    md5: (v) => hash('md5', v),
    regex_replace(v, ...args) {
      const a = bind('regex_replace', ['pattern', 'replacement', 'ignorecase', 'multiline'], { replacement: '', ignorecase: false, multiline: false }, args);
      return pySubn(pyCompile(str(a.pattern), 'regex_replace', flags(a)), str(a.replacement), str(v), 'regex_replace')[0];
    },
    regex_search: (v, regex, ...args) => regexSearch(v, regex, args),
    regex_findall(v, ...args) {
      const a = bind('regex_findall', ['regex', 'multiline', 'ignorecase'], { multiline: false, ignorecase: false }, args);
      return regexFindall(v, a.regex, a);
    },
    regex_escape(v, ...args) {
      const a = bind('regex_escape', ['re_type'], { re_type: 'python' }, args);
      if (a.re_type !== 'python') throw new TemplateUsageError(`Regex type (${a.re_type}) not yet implemented`);
      return regexEscape(str(v));
    },
    quote: (v) => shlexQuote(str(v)),
    basename: (v) => basename(str(v)),
    dirname: (v) => dirname(str(v)),
    splitext: (v) => splitext(str(v)),
    expanduser: (v) => str(v).replace(/^~(?=\/|$)/, process.env.HOME ?? '~'),
    realpath: (v) => posix.resolve(str(v)),
    relpath: (v, start) => posix.relative(str(start), str(v)),
    combine(...args: unknown[]) {
      const [dicts, kw] = splitKeywords(args);
      for (const k of Object.keys(kw)) if (k !== 'recursive' && k !== 'list_merge') throw new TemplateUsageError(`'${k}' is an invalid keyword argument for combine()`);
      return combine(dicts, pyTruth(kw.recursive), String(kw.list_merge ?? 'replace'));
    },
    dict2items(v, ...args) {
      const a = bind('dict2items', ['key_name', 'value_name'], { key_name: 'key', value_name: 'value' }, args);
      if (!isPlainObject(v)) throw new TemplateUsageError(`dict2items requires a dictionary, got ${pyType(v)} instead.`);
      return Object.entries(v).map(([k, x]) => ({ [a.key_name]: k, [a.value_name]: x }));
    },
    items2dict(v, ...args) {
      const a = bind('items2dict', ['key_name', 'value_name'], { key_name: 'key', value_name: 'value' }, args);
      return Object.fromEntries(iterate(v, 'items2dict').map((x) => [str((x as Record<string, unknown>)[a.key_name]), (x as Record<string, unknown>)[a.value_name]]));
    },
    zip(v, ...others) {
      const lists = [iterate(v, 'zip'), ...others.map((o) => iterate(o, 'zip'))];
      const n = Math.min(...lists.map((l) => l.length));
      return Array.from({ length: n }, (_, i) => PyTuple.of(...lists.map((l) => l[i])));
    },
    zip_longest(v, ...args) {
      const [others, kw] = splitKeywords(args);
      const lists = [iterate(v, 'zip_longest'), ...others.map((o) => iterate(o, 'zip_longest'))];
      const n = Math.max(...lists.map((l) => l.length));
      return Array.from({ length: n }, (_, i) => PyTuple.of(...lists.map((l) => (i < l.length ? l[i] : kw.fillvalue === undefined ? null : kw.fillvalue))));
    },
    product(v, ...args) {
      const [others, kw] = splitKeywords(args);
      const lists = [iterate(v, 'product'), ...others.map((o) => iterate(o, 'product'))];
      const repeat = Number(kw.repeat ?? 1);
      return product(Array.from({ length: repeat }, () => lists).flat());
    },
    flatten(v, ...args) {
      const a = bind('flatten', ['levels', 'skip_nulls'], { levels: null, skip_nulls: true }, args);
      return flatten(iterate(v, 'flatten'), a.levels === null ? null : Number(a.levels), pyTruth(a.skip_nulls));
    },
    union: (a, b) => unique([...iterate(a, 'union'), ...iterate(b, 'union')], true),
    intersect: (a, b) => unique(iterate(a, 'intersect').filter((x) => iterate(b, 'intersect').some((y) => pyEq(x, y))), true),
    difference: (a, b) => unique(iterate(a, 'difference').filter((x) => !iterate(b, 'difference').some((y) => pyEq(x, y))), true),
    symmetric_difference(a, b) {
      const la = iterate(a, 'symmetric_difference');
      const lb = iterate(b, 'symmetric_difference');
      const both = unique(la.filter((x) => lb.some((y) => pyEq(x, y))), true);
      return unique([...la, ...lb], true).filter((x) => !both.some((y) => pyEq(x, y)));
    },
    extract(item, container, morekeys) {
      let v = attrGetter(item as string | number)(container);
      for (const k of morekeys === undefined ? [] : Array.isArray(morekeys) ? morekeys : [morekeys]) v = attrGetter(k)(v);
      return v;
    },
    human_readable(v, ...args) {
      const a = bind('human_readable', ['isbits', 'unit'], { isbits: false, unit: null }, args);
      return humanReadable(Number(v), pyTruth(a.isbits), a.unit);
    },
    human_to_bytes(v, ...args) {
      const a = bind('human_to_bytes', ['default_unit', 'isbits'], { default_unit: null, isbits: false }, args);
      return humanToBytes(str(v), a.default_unit, pyTruth(a.isbits));
    },
    to_datetime(v, ...args) {
      const a = bind('to_datetime', ['format'], { format: '%Y-%m-%d %H:%M:%S' }, args);
      return strptime(str(v), str(a.format));
    },
    strftime(v, ...args) {
      const a = bind('strftime', ['second', 'utc'], { second: null }, args);
      const ms = a.second === null ? Date.now() : Number(a.second) * 1000;
      const local = a.utc ? ms : ms - new Date(ms).getTimezoneOffset() * 60_000;
      return new PyDatetime(local).strftime(str(v));
    },
    split(v, ...args) {
      const a = bind('split', ['seperator', 'maxsplit'], { seperator: null, maxsplit: -1 }, args);
      return pySplit(str(v), a.seperator, Number(a.maxsplit));
    },
    type_debug: (v) => pyType(v),
  };
}
