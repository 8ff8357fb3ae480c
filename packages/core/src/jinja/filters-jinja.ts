/**
 * Jinja2's built-in filters with Python's semantics (nunjucks' own versions coerce like JS:
 * `true | join` gives "true", `selectattr` ignores its test, `unique` is case sensitive).
 */
import { bind, TemplateUsageError } from './args.js';
import {
  PyFloat, PyTuple, isPlainObject, pyCenter, pyCmp, pyEq, pyRepr, pyStrOf, pyTruth, pyType, STRING_MEMBERS, toFloat,
} from './pyvalues.js';
import { Secret } from '../command.js';

export type FilterFn = (this: unknown, value: unknown, ...args: unknown[]) => unknown;
export type TestLookup = (name: string) => (value: unknown, ...args: unknown[]) => boolean;
export type FilterLookup = (name: string) => FilterFn;

const reveal = (v: unknown) => (v instanceof Secret ? v.value : v);

/** The items a value iterates over, as Python's iter() gives them. */
export function iterate(v: unknown, filter = 'filter'): unknown[] {
  v = reveal(v);
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isPlainObject(v)) return Object.keys(v);
  if (v === undefined) throw new TemplateUsageError(`${filter}: the value is undefined`);
  throw new TemplateUsageError(`'${pyType(v)}' object is not iterable`, 'TypeError');
}

/** Jinja's attribute getter: `a.b.0` walks dicts, lists and object attributes. */
export function attrGetter(attribute: unknown, defaultValue?: unknown): (item: unknown) => unknown {
  const parts = typeof attribute === 'number' ? [attribute] : String(attribute).split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return (item) => {
    let v: unknown = item;
    for (const p of parts) {
      if (v === null || v === undefined) break;
      if (Array.isArray(v) && typeof p === 'number') v = v[p];
      else if (typeof v === 'object' && Object.hasOwn(v as object, p)) v = (v as Record<string | number, unknown>)[p];
      else if (typeof v === 'string' && typeof p === 'number') v = v[p];
      else v = undefined;
    }
    return v === undefined ? defaultValue : v;
  };
}

const lowerIf = (cs: boolean) => (v: unknown) => (!cs && typeof v === 'string' ? v.toLowerCase() : v);

/** Python's sorted() with a key: stable, mixed types are an error. */
export function pySorted(items: unknown[], key: (v: unknown) => unknown = (v) => v, reverse = false): unknown[] {
  const keyed = items.map((v) => [key(v), v] as const);
  keyed.sort((a, b) => (reverse ? pyCmp(b[0], a[0]) : pyCmp(a[0], b[0])));
  return keyed.map(([, v]) => v);
}

function uniqueBy(items: unknown[], key: (v: unknown) => unknown): unknown[] {
  const seen: unknown[] = [];
  const out: unknown[] = [];
  for (const v of items) {
    const k = key(v);
    if (seen.some((s) => pyEq(s, k))) continue;
    seen.push(k);
    out.push(v);
  }
  return out;
}

/** Jinja's unique (case-insensitive unless asked), shared with Ansible's set filters. */
export function unique(items: unknown[], caseSensitive = false, attribute?: unknown): unknown[] {
  const get = attribute === undefined || attribute === null ? (v: unknown) => v : attrGetter(attribute);
  return uniqueBy(items, (v) => lowerIf(caseSensitive)(get(v)));
}

/** select/reject/selectattr/rejectattr: a test by name, or truthiness without one. */
function selector(getTest: TestLookup, name: string, args: unknown[], attr: boolean, want: boolean): (items: unknown[]) => unknown[] {
  let get: (v: unknown) => unknown = (v) => v;
  if (attr) {
    if (!args.length) throw new TemplateUsageError(`${name}: missing the attribute`);
    get = attrGetter(args[0]);
    args = args.slice(1);
  }
  const [testName, ...testArgs] = args;
  const test = testName === undefined ? (v: unknown) => pyTruth(v) : getTest(String(testName));
  return (items) => items.filter((v) => pyTruth(test(get(v), ...testArgs)) === want);
}

function pyInt(v: unknown, dflt: unknown, base: number): unknown {
  v = reveal(v);
  if (typeof v === 'boolean') return Number(v);
  if (typeof v === 'number' || v instanceof PyFloat) return Math.trunc(Number(v));
  if (typeof v === 'string') {
    const s = v.trim().replace(/_/g, '');
    const prefixed = base === 16 ? s.replace(/^0x/i, '') : base === 8 ? s.replace(/^0o/i, '') : base === 2 ? s.replace(/^0b/i, '') : s;
    const digits = base === 10 ? /^[-+]?\d+$/ : base === 16 ? /^[-+]?[0-9a-f]+$/i : base === 8 ? /^[-+]?[0-7]+$/ : /^[-+]?[01]+$/;
    if (digits.test(prefixed)) return parseInt(prefixed, base);
    if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return Math.trunc(parseFloat(s));
  }
  return dflt;
}

function pyFloatOf(v: unknown, dflt: unknown): unknown {
  v = reveal(v);
  if (typeof v === 'number' || typeof v === 'boolean') return toFloat(Number(v));
  if (v instanceof PyFloat) return v;
  if (typeof v === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(v)) return toFloat(parseFloat(v));
  if (typeof v === 'string' && /^\s*[-+]?(inf|infinity|nan)\s*$/i.test(v)) return parseFloat(v.replace(/inf(inity)?/i, 'Infinity'));
  return dflt;
}

/** Python's round(): half to even at the given precision. */
function pyRound(n: number, digits: number): number {
  const f = 10 ** digits;
  const x = n * f;
  const r = Math.round(x);
  const even = Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
  return even / f;
}

/** groupby's (grouper, list) tuples. */
export class GroupTuple extends PyTuple {
  get grouper(): unknown {
    return this[0];
  }
  get list(): unknown {
    return this[1];
  }
}

/** Build the filters; `getTest`/`getFilter` give access to the environment's others (select, map). */
export function jinjaFilters(getTest: TestLookup, getFilter: FilterLookup): Record<string, FilterFn> {
  const f: Record<string, FilterFn> = {
    default(v, ...args) {
      const a = bind('default', ['default_value', 'boolean'], { default_value: '', boolean: false }, args);
      return v === undefined || (a.boolean && !pyTruth(v)) ? a.default_value : v;
    },
    join(v, ...args) {
      const a = bind('join', ['d', 'attribute'], { d: '', attribute: null }, args);
      const items = iterate(v, 'join').map(a.attribute === null ? (x) => x : attrGetter(a.attribute));
      const out = items.map(pyStrOf).join(pyStrOf(a.d));
      return items.some((x) => x instanceof Secret) ? new Secret(out) : out;
    },
    list: (v) => (v instanceof PyTuple ? [...v] : [...iterate(v, 'list')]),
    length: (v) => (isPlainObject(v) ? Object.keys(v).length : iterate(v, 'length').length),
    first: (v) => iterate(v, 'first')[0],
    last: (v) => {
      const items = iterate(v, 'last');
      return items[items.length - 1];
    },
    reverse: (v) => (typeof v === 'string' ? [...v].reverse().join('') : [...iterate(v, 'reverse')].reverse()),
    sort(v, ...args) {
      const a = bind('sort', ['reverse', 'case_sensitive', 'attribute'], { reverse: false, case_sensitive: false, attribute: null }, args);
      const get = a.attribute === null ? (x: unknown) => x : attrGetter(a.attribute);
      return pySorted(iterate(v, 'sort'), (x) => lowerIf(a.case_sensitive)(get(x)), a.reverse);
    },
    unique(v, ...args) {
      const a = bind('unique', ['case_sensitive', 'attribute'], { case_sensitive: false, attribute: null }, args);
      return unique(iterate(v, 'unique'), pyTruth(a.case_sensitive), a.attribute);
    },
    min(v, ...args) {
      const a = bind('min', ['case_sensitive', 'attribute'], { case_sensitive: false, attribute: null }, args);
      const get = a.attribute === null ? (x: unknown) => x : attrGetter(a.attribute);
      return pySorted(iterate(v, 'min'), (x) => lowerIf(a.case_sensitive)(get(x)))[0];
    },
    max(v, ...args) {
      const a = bind('max', ['case_sensitive', 'attribute'], { case_sensitive: false, attribute: null }, args);
      const get = a.attribute === null ? (x: unknown) => x : attrGetter(a.attribute);
      const items = iterate(v, 'max');
      let best: unknown = items[0];
      for (const x of items.slice(1)) if (pyCmp(lowerIf(a.case_sensitive)(get(x)), lowerIf(a.case_sensitive)(get(best))) > 0) best = x;
      return best;
    },
    sum(v, ...args) {
      const a = bind('sum', ['attribute', 'start'], { attribute: null, start: 0 }, args);
      const get = a.attribute === null ? (x: unknown) => x : attrGetter(a.attribute);
      const add = (x: unknown, y: unknown) => {
        if (Array.isArray(x) && Array.isArray(y)) return [...x, ...y];
        const n = Number(x) + Number(y);
        return x instanceof PyFloat || y instanceof PyFloat || !Number.isInteger(n) ? toFloat(n) : n;
      };
      return iterate(v, 'sum').map(get).reduce(add, a.start);
    },
    select: (v, ...args) => selector(getTest, 'select', args, false, true)(iterate(v, 'select')),
    reject: (v, ...args) => selector(getTest, 'reject', args, false, false)(iterate(v, 'reject')),
    selectattr: (v, ...args) => selector(getTest, 'selectattr', args, true, true)(iterate(v, 'selectattr')),
    rejectattr: (v, ...args) => selector(getTest, 'rejectattr', args, true, false)(iterate(v, 'rejectattr')),
    map(this: unknown, v, ...args) {
      const items = iterate(v, 'map');
      const last = args[args.length - 1] as Record<string, unknown> | undefined;
      if (last && typeof last === 'object' && '__keywords' in last && 'attribute' in last) {
        const get = attrGetter(last.attribute, last.default);
        return items.map(get);
      }
      const [name, ...rest] = args;
      if (typeof name !== 'string') throw new TemplateUsageError('map: expected a filter name or attribute=');
      const fn = getFilter(name);
      return items.map((x) => fn.call(this, x, ...rest));
    },
    groupby(v, ...args) {
      const a = bind('groupby', ['attribute', 'default', 'case_sensitive'], { default: undefined, case_sensitive: false }, args);
      const get = attrGetter(a.attribute, a.default);
      const key = (x: unknown) => lowerIf(a.case_sensitive)(get(x));
      const sorted = pySorted(iterate(v, 'groupby'), key);
      const out: PyTuple[] = [];
      for (const x of sorted) {
        const last = out[out.length - 1];
        if (last && pyEq(key(last[1] && (last[1] as unknown[])[0]), key(x))) (last[1] as unknown[]).push(x);
        else out.push(GroupTuple.of(get(x), [x]));
      }
      return out;
    },
    batch(v, ...args) {
      const a = bind('batch', ['linecount', 'fill_with'], { fill_with: null }, args);
      const items = iterate(v, 'batch');
      const n = Number(a.linecount);
      const out: unknown[][] = [];
      for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));
      const last = out[out.length - 1];
      if (a.fill_with !== null && last) while (last.length < n) last.push(a.fill_with);
      return out;
    },
    slice(v, ...args) {
      const a = bind('slice', ['slices', 'fill_with'], { fill_with: null }, args);
      const items = iterate(v, 'slice');
      const n = Number(a.slices);
      const per = Math.floor(items.length / n);
      const extra = items.length % n;
      const out: unknown[][] = [];
      let offset = 0;
      for (let i = 0; i < n; i++) {
        const size = per + (i < extra ? 1 : 0);
        const part = items.slice(offset, offset + size);
        offset += size;
        if (a.fill_with !== null && i >= extra && extra) part.push(a.fill_with);
        out.push(part);
      }
      return out;
    },
    dictsort(v, ...args) {
      const a = bind('dictsort', ['case_sensitive', 'by', 'reverse'], { case_sensitive: false, by: 'key', reverse: false }, args);
      if (!isPlainObject(v)) throw new TemplateUsageError('dictsort: the value is not a dict');
      const items = Object.entries(v).map(([k, x]) => PyTuple.of<unknown>(k, x));
      return pySorted(items, (t) => lowerIf(a.case_sensitive)((t as PyTuple)[a.by === 'value' ? 1 : 0]), a.reverse);
    },
    items: (v) => (v === undefined ? [] : Object.entries(v as object).map(([k, x]) => PyTuple.of<unknown>(k, x))),
    int(v, ...args) {
      const a = bind('int', ['default', 'base'], { default: 0, base: 10 }, args);
      return pyInt(v, a.default, Number(a.base));
    },
    float(v, ...args) {
      const a = bind('float', ['default'], { default: new PyFloat(0) }, args);
      return pyFloatOf(v, a.default);
    },
    round(v, ...args) {
      const a = bind('round', ['precision', 'method'], { precision: 0, method: 'common' }, args);
      const n = Number(v);
      const p = Number(a.precision);
      const r = a.method === 'ceil' ? Math.ceil(n * 10 ** p) / 10 ** p : a.method === 'floor' ? Math.floor(n * 10 ** p) / 10 ** p : pyRound(n, p);
      return toFloat(r);
    },
    abs: (v) => (v instanceof PyFloat ? new PyFloat(Math.abs(v.value)) : Math.abs(Number(v))),
    string: (v) => (v instanceof Secret ? v : pyStrOf(v)),
    lower: (v) => pyStrOf(v).toLowerCase(),
    upper: (v) => pyStrOf(v).toUpperCase(),
    capitalize: (v) => STRING_MEMBERS.capitalize!.call(pyStrOf(v)),
    title: (v) => pyStrOf(v).replace(/[\p{L}\p{N}]+/gu, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()),
    trim(v, ...args) {
      const a = bind('trim', ['chars'], { chars: null }, args);
      return STRING_MEMBERS.strip!.call(pyStrOf(v), a.chars);
    },
    replace(v, ...args) {
      const a = bind('replace', ['old', 'new', 'count'], { count: null }, args);
      return STRING_MEMBERS.replace!.call(pyStrOf(v), pyStrOf(a.old), pyStrOf(a.new), a.count ?? undefined);
    },
    center(v, ...args) {
      const a = bind('center', ['width'], { width: 80 }, args);
      return pyCenter(pyStrOf(v), Number(a.width));
    },
    indent(v, ...args) {
      const a = bind('indent', ['width', 'first', 'blank'], { width: 4, first: false, blank: false }, args);
      const pad = typeof a.width === 'string' ? a.width : ' '.repeat(Number(a.width));
      const lines = pyStrOf(v).split('\n');
      const out = lines.map((l, i) => ((i === 0 && !a.first) || (!a.blank && l.trim() === '') ? l : pad + l));
      if (!a.blank && a.first && lines[0]!.trim() === '') out[0] = lines[0]!;
      return out.join('\n');
    },
    wordcount: (v) => (pyStrOf(v).match(/\w+/gu) ?? []).length,
    truncate(v, ...args) {
      const a = bind('truncate', ['length', 'killwords', 'end', 'leeway'], { length: 255, killwords: false, end: '...', leeway: 5 }, args);
      const s = pyStrOf(v);
      if (a.length < a.end.length) throw new TemplateUsageError(`expected length >= ${a.end.length}, got ${a.length}`);
      if (a.leeway < 0) throw new TemplateUsageError(`expected leeway >= 0, got ${a.leeway}`);
      if (s.length <= a.length + a.leeway) return s;
      if (a.killwords) return s.slice(0, a.length - a.end.length) + a.end;
      // Python's s[:n].rsplit(' ', 1)[0]: up to the last space, or all of it when there is none.
      const head = s.slice(0, a.length - a.end.length);
      const space = head.lastIndexOf(' ');
      return (space < 0 ? head : head.slice(0, space)) + a.end;
    },
    count: (v) => f.length!.call(undefined, v),
    attr: (v, name) => attrGetter(name)(v),
    pprint: (v) => pyRepr(v),
    filesizeformat(v, ...args) {
      const a = bind('filesizeformat', ['binary'], { binary: false }, args);
      const base = a.binary ? 1024 : 1000;
      const units = a.binary ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
      const bytes = Number(v);
      if (bytes === 1) return '1 Byte';
      if (bytes < base) return `${bytes} Bytes`;
      let i = 0;
      while (i < units.length - 1 && bytes >= base ** (i + 2)) i++;
      return `${(bytes / base ** (i + 1)).toFixed(1)} ${units[i]}`;
    },
    urlencode: (v) => encodeURIComponent(pyStrOf(v)).replace(/%2F/g, '/'),
    safe: (v) => v,
    escape: (v) => pyStrOf(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;'),
  };
  f.e = f.escape!;
  f.d = f.default!;
  return f;
}
