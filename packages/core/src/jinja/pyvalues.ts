/**
 * Python's view of values, for Jinja parity: tuples and floats as their own types, how values
 * print (True, None, ['a', 1], ('a', 1), 2.0), truthiness and equality as Python has them,
 * json.dumps with Python's separators and ASCII escaping, printf-style `format`, and the str
 * methods templates call (`name.upper()`, `path.startswith('/')`).
 */
import { Secret } from '../command.js';
import { TemplateUsageError } from './errors.js';

/** Secrets revealed by the render in progress (renders are synchronous: one collector at a time). */
export const revealed: { current?: string[] } = {};

/** A Secret's value for the text a template writes; the render records it for masking. */
export function reveal(s: Secret): string {
  revealed.current?.push(s.value);
  return s.value;
}

/** A Python tuple (zip, product, splitext and dict items give these); prints as `('a', 1)`. */
export class PyTuple<T = unknown> extends Array<T> {
  static of<T>(...items: T[]): PyTuple<T> {
    // `this`: GroupTuple.of makes a GroupTuple.
    const t = new (this as unknown as new () => PyTuple<T>)();
    t.push(...items);
    return t;
  }
}

/** A Python float whose value is integral (`4 / 2` is `2.0`); other floats are plain numbers. */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return floatRepr(this.value);
  }
  toJSON(): number {
    return this.value;
  }
}

/** A number as Python float arithmetic gives it: integral results stay floats. */
export const toFloat = (n: number): number | PyFloat => (Number.isInteger(n) ? new PyFloat(n) : n);

export const isFloat = (v: unknown): boolean => v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));

/** Python's repr() of a float: shortest round trip, exponent from 1e16 and below 1e-4, always a dot or exponent. */
export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(n);
  if (abs >= 1e16 || abs < 1e-4) {
    const [m, e] = n.toExponential().split('e') as [string, string];
    const exp = Number(e);
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const s = abs >= 1e21 ? n.toFixed(0) : String(n);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

const NONPRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function pyStr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let body = '';
  for (const c of s) {
    const code = c.codePointAt(0)!;
    if (c === '\\') body += '\\\\';
    else if (c === '\n') body += '\\n';
    else if (c === '\r') body += '\\r';
    else if (c === '\t') body += '\\t';
    else if (c === q) body += `\\${q}`;
    else if (c !== ' ' && NONPRINTABLE.test(c)) {
      body += code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : code < 0x10000 ? `\\u${code.toString(16).padStart(4, '0')}` : `\\U${code.toString(16).padStart(8, '0')}`;
    } else body += c;
  }
  return q + body + q;
}

/** Python's repr() of a value. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return pyStr(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : floatRepr(v);
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (v instanceof Secret) return pyStr(reveal(v));
  if (v instanceof PyTuple) return v.length === 1 ? `(${pyRepr(v[0])},)` : `(${v.map(pyRepr).join(', ')})`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (isPlainObject(v)) return `{${Object.entries(v).map(([k, x]) => `${pyStr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return String(v);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Python's str() of a value. */
export function pyStrOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Secret) return reveal(v);
  if (v === undefined) return '';
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && !isPlainObject(v) && !(v instanceof PyFloat)) return String(v);
  return pyRepr(v);
}

/** Python's str() of a value as Jinja prints it. */
export const pyPrint = (v: unknown): string => pyStrOf(v);

/** Python's bool(). */
export function pyTruth(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof PyFloat) return v.value !== 0;
  if (v instanceof Secret) return v.value !== '';
  if (isPlainObject(v)) return Object.keys(v).length > 0;
  return Boolean(v);
}

/** Python's ==: no coercion between str and int, lists and dicts by value, True == 1. */
export function pyEq(a: unknown, b: unknown): boolean {
  const num = (x: unknown) => (typeof x === 'boolean' ? Number(x) : x instanceof PyFloat ? x.value : x);
  a = num(a);
  b = num(b);
  if (a instanceof Secret) a = a.value;
  if (b instanceof Secret) b = b.value;
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a instanceof PyTuple === b instanceof PyTuple && a.length === b.length && a.every((x, i) => pyEq(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && pyEq(a[k], b[k]));
  }
  return a === b;
}

/** Python's ordering (<): numbers, strings, lists element-wise; mixed types are an error. */
export function pyCmp(a: unknown, b: unknown): number {
  const num = (x: unknown) => (typeof x === 'boolean' ? Number(x) : x instanceof PyFloat ? x.value : x);
  a = num(a);
  b = num(b);
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = pyCmp(a[i], b[i]);
      if (c) return c;
    }
    return a.length - b.length;
  }
  throw new TemplateUsageError(`'<' not supported between instances of '${pyType(a)}' and '${pyType(b)}'`, 'TypeError');
}

/** The Python type name of a value, for error messages. */
export function pyType(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof PyFloat) return 'float';
  if (typeof v === 'string' || v instanceof Secret) return 'str';
  if (v instanceof PyTuple) return 'tuple';
  if (Array.isArray(v)) return 'list';
  if (isPlainObject(v)) return 'dict';
  return 'object';
}

const asciiEscape = (s: string) => s.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** json.dumps(v, indent, sort_keys, separators) with ensure_ascii, as Ansible's to_json/to_nice_json. */
export function pyJsonDumps(v: unknown, o: { indent?: number; sortKeys?: boolean; ensureAscii?: boolean } = {}): string {
  const itemSep = o.indent !== undefined ? ',' : ', ';
  const str = (s: string) => (o.ensureAscii === false ? JSON.stringify(s) : asciiEscape(JSON.stringify(s)));
  const walk = (x: unknown, depth: number): string => {
    if (x === null || x === undefined) return 'null';
    if (x instanceof Secret) return str(reveal(x));
    if (typeof x === 'string') return str(x);
    if (x instanceof PyFloat || (typeof x === 'number' && !Number.isInteger(x))) {
      const r = floatRepr(Number(x));
      return r === 'inf' ? 'Infinity' : r === '-inf' ? '-Infinity' : r === 'nan' ? 'NaN' : r;
    }
    if (typeof x !== 'object') return JSON.stringify(x);
    const pad = (d: number) => (o.indent !== undefined ? `\n${' '.repeat(o.indent * d)}` : '');
    const parts = Array.isArray(x)
      ? x.map((e) => walk(e, depth + 1))
      : (o.sortKeys ? Object.keys(x).sort() : Object.keys(x)).map((k) => `${str(k)}: ${walk((x as Record<string, unknown>)[k], depth + 1)}`);
    const [open, close] = Array.isArray(x) ? ['[', ']'] : ['{', '}'];
    if (!parts.length) return open + close;
    return open + pad(depth + 1) + parts.join(itemSep + pad(depth + 1)) + pad(depth) + close;
  };
  return walk(v, 0);
}

/** Python's `fmt % args` for %s %d %i %f %r %x %o %e %% (Jinja's `format` filter). */
export function pyFormat(fmt: string, ...args: unknown[]): string {
  let i = 0;
  return fmt.replace(/%([-+ 0#]*)(\d+)?(?:\.(\d+))?([sdifrxXoe%])/g, (_m, flags: string, width: string | undefined, prec: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    const a = args[i++];
    const n = Number(a instanceof PyFloat ? a.value : a);
    let s: string;
    if (conv === 'd' || conv === 'i') s = String(Math.trunc(n));
    else if (conv === 'f') s = n.toFixed(prec === undefined ? 6 : Number(prec));
    else if (conv === 'e') s = n.toExponential(prec === undefined ? 6 : Number(prec)).replace(/e([+-])(\d)$/, 'e$10$2');
    else if (conv === 'x') s = Math.trunc(n).toString(16);
    else if (conv === 'X') s = Math.trunc(n).toString(16).toUpperCase();
    else if (conv === 'o') s = Math.trunc(n).toString(8);
    else if (conv === 'r') s = pyRepr(a);
    else s = pyStrOf(a);
    if (prec !== undefined && (conv === 's' || conv === 'r')) s = s.slice(0, Number(prec));
    if (flags.includes('+') && /[difeE]/.test(conv) && n >= 0) s = `+${s}`;
    const w = Number(width ?? 0);
    if (s.length >= w) return s;
    if (flags.includes('-')) return s.padEnd(w);
    if (flags.includes('0') && conv !== 's' && conv !== 'r') return s.startsWith('-') ? `-${s.slice(1).padStart(w - 1, '0')}` : s.padStart(w, '0');
    return s.padStart(w);
  });
}

/** Python's str.split(sep=None, maxsplit=-1). */
export function pySplit(s: string, sep?: string | null, max = -1): string[] {
  if (sep === undefined || sep === null) {
    const out: string[] = [];
    let rest = s.replace(/^\s+/, '');
    while (rest !== '') {
      if (max >= 0 && out.length === max) {
        out.push(rest.replace(/\s+$/, ''));
        break;
      }
      const m = /\s+/.exec(rest);
      if (!m) {
        out.push(rest);
        break;
      }
      out.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return out;
  }
  if (sep === '') throw new TemplateUsageError('ValueError: empty separator');
  const parts = s.split(sep);
  return max < 0 || parts.length <= max + 1 ? parts : [...parts.slice(0, max), parts.slice(max).join(sep)];
}

const stripSet = (chars: string | undefined | null) => (c: string) => (chars === undefined || chars === null ? /\s/.test(c) : chars.includes(c));

function strip(s: string, chars: string | undefined | null, left: boolean, right: boolean): string {
  const strip = stripSet(chars);
  let a = 0;
  let b = s.length;
  while (left && a < b && strip(s[a]!)) a++;
  while (right && b > a && strip(s[b - 1]!)) b--;
  return s.slice(a, b);
}

/** The str methods templates commonly call, bound to a string. */
export const STRING_MEMBERS: Record<string, (this: string, ...a: any[]) => unknown> = {
  upper() { return this.toUpperCase(); },
  lower() { return this.toLowerCase(); },
  strip(chars?: string) { return strip(this, chars, true, true); },
  lstrip(chars?: string) { return strip(this, chars, true, false); },
  rstrip(chars?: string) { return strip(this, chars, false, true); },
  startswith(p: string | string[]) { return (Array.isArray(p) ? p : [p]).some((x) => this.startsWith(x)); },
  endswith(p: string | string[]) { return (Array.isArray(p) ? p : [p]).some((x) => this.endsWith(x)); },
  split(sep?: string | null, max?: number) { return pySplit(this, sep, max); },
  rsplit(sep?: string | null, max = -1) {
    if (max < 0) return pySplit(this, sep);
    const parts = pySplit(this, sep);
    const joiner = sep ?? ' ';
    return parts.length <= max + 1 ? parts : [parts.slice(0, parts.length - max).join(joiner), ...parts.slice(parts.length - max)];
  },
  splitlines() { return this.split(/\r\n|\r|\n/).filter((_, i, a) => i < a.length - 1 || a[i] !== ''); },
  replace(a: string, b: string, count?: number) {
    if (count === undefined || count < 0) return this.split(a).join(b);
    const parts = this.split(a);
    return [parts.slice(0, count + 1).join(b), ...parts.slice(count + 1)].join(a);
  },
  capitalize() { return this.charAt(0).toUpperCase() + this.slice(1).toLowerCase(); },
  title() { return this.replace(/[A-Za-z]+/g, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()); },
  join(list: unknown[]) { return list.map(pyStrOf).join(this); },
  isdigit() { return /^\d+$/.test(this); },
  isalpha() { return /^[\p{L}]+$/u.test(this); },
  isalnum() { return /^[\p{L}\p{N}]+$/u.test(this); },
  isupper() { return /\p{Lu}/u.test(this) && this === this.toUpperCase(); },
  islower() { return /\p{Ll}/u.test(this) && this === this.toLowerCase(); },
  find(sub: string) { return this.indexOf(sub); },
  index(sub: string) {
    const i = this.indexOf(sub);
    if (i < 0) throw new TemplateUsageError('ValueError: substring not found');
    return i;
  },
  count(sub: string) { return sub === '' ? this.length + 1 : this.split(sub).length - 1; },
  zfill(w: number) { return this.startsWith('-') ? `-${this.slice(1).padStart(w - 1, '0')}` : this.padStart(w, '0'); },
  ljust(w: number, c = ' ') { return this.padEnd(w, c); },
  rjust(w: number, c = ' ') { return this.padStart(w, c); },
  center(w: number) { return pyCenter(this, w); },
  format(...args: unknown[]) {
    let i = 0;
    const kw = args.length && isKeywords(args[args.length - 1]) ? (args.pop() as Record<string, unknown>) : {};
    return this.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (m, f: string | undefined) => {
      if (m === '{{') return '{';
      if (m === '}}') return '}';
      const field = /^([^!:]*)(?:!([rsa]))?(?::(.*))?$/s.exec(f ?? '')!;
      const [name, path] = [/^[^.[]*/.exec(field[1]!)![0], field[1]!.replace(/^[^.[]*/, '')];
      let v: unknown;
      if (name === '') v = args[i++];
      else if (/^\d+$/.test(name)) v = args[Number(name)];
      else if (Object.hasOwn(kw, name)) v = kw[name];
      else throw new TemplateUsageError(`KeyError: '${name}'`);
      if (v === undefined) throw new TemplateUsageError('IndexError: Replacement index out of range for positional args tuple');
      for (const step of path.matchAll(/\.(\w+)|\[([^\]]*)\]/g)) v = (v as Record<string, unknown>)?.[step[1] ?? step[2]!];
      if (field[2] === 'r' || field[2] === 'a') v = pyRepr(v);
      return pyFormatSpec(v, field[3] ?? '');
    });
  },
};

/** Python's format(value, spec): `[[fill]align][sign][#][0][width][,|_][.precision][type]`. */
export function pyFormatSpec(v: unknown, spec: string): string {
  if (spec === '') return pyStrOf(v);
  const m = /^(?:(.)?([<>^=]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/s.exec(spec);
  if (!m) throw new TemplateUsageError(`ValueError: Invalid format specifier '${spec}'`);
  const [, fillGiven, alignGiven, sign = '-', alt, zero, widthText, group, precText, typeGiven] = m;
  const numeric = typeof v === 'number' || v instanceof PyFloat;
  const n = Number(v instanceof PyFloat ? v.value : v);
  const prec = precText === undefined ? undefined : Number(precText);
  const type = typeGiven ?? (numeric ? (v instanceof PyFloat || !Number.isInteger(n) ? 'g' : 'd') : 's');
  let body: string;
  let neg = false;
  if (type === 's') {
    if (numeric && typeGiven) throw new TemplateUsageError(`ValueError: Unknown format code 's' for object of type '${pyType(v)}'`);
    body = pyStrOf(v);
    if (prec !== undefined) body = body.slice(0, prec);
  } else {
    if (!numeric && typeof v !== 'boolean') throw new TemplateUsageError(`ValueError: Unknown format code '${type}' for object of type '${pyType(v)}'`);
    neg = n < 0 || Object.is(n, -0);
    const a = Math.abs(n);
    const base: Record<string, number> = { b: 2, o: 8, x: 16, X: 16 };
    if (type in base) {
      body = Math.trunc(a).toString(base[type]!);
      if (type === 'X') body = body.toUpperCase();
      if (alt) body = `0${type === 'X' ? 'X' : type}${body}`;
    } else if (type === 'd' || type === 'n') body = String(Math.trunc(a));
    else if (type === 'c') body = String.fromCodePoint(a);
    else if (type === 'f' || type === 'F') body = a.toFixed(prec ?? 6);
    else if (type === 'e' || type === 'E') {
      body = a.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
      if (type === 'E') body = body.toUpperCase();
    } else if (type === '%') body = `${(a * 100).toFixed(prec ?? 6)}%`;
    else {
      const g = Number(a.toPrecision(prec === 0 ? 1 : prec ?? 6));
      body = typeGiven === undefined && prec === undefined ? floatRepr(a) : String(g).replace(/e\+?(-?)(\d)$/, 'e+$10$2').replace('e+-', 'e-');
    }
    if (group) {
      const [int, frac] = body.split('.');
      body = int!.replace(/\B(?=(\d{3})+(?!\d))/g, group) + (frac === undefined ? '' : `.${frac}`);
    }
  }
  const signText = type === 's' ? '' : neg ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
  const width = widthText === undefined ? 0 : Number(widthText);
  const fill = fillGiven ?? (zero && !alignGiven ? '0' : ' ');
  const align = alignGiven ?? (zero ? '=' : type === 's' ? '<' : '>');
  const pad = Math.max(0, width - body.length - signText.length);
  if (align === '=') return signText + fill.repeat(pad) + body;
  const text = signText + body;
  if (align === '<') return text + fill.repeat(pad);
  if (align === '>') return fill.repeat(pad) + text;
  const left = Math.floor(pad / 2);
  return fill.repeat(left) + text + fill.repeat(pad - left);
}

/** Python's str.center(width): extra padding goes right when the difference is odd and the length even. */
export function pyCenter(s: string, w: number): string {
  const pad = w - s.length;
  if (pad <= 0) return s;
  const left = Math.floor(pad / 2) + (pad & w & 1);
  return ' '.repeat(left) + s + ' '.repeat(pad - left);
}

/** nunjucks passes keyword arguments as a trailing object marked `__keywords`. */
export function isKeywords(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && (v as { __keywords?: boolean }).__keywords === true;
}
