/**
 * Python's view of values, for Jinja parity: how values print (True, None, ['a', 1]), json.dumps
 * with Python's separators and ASCII escaping, printf-style `format`, and the str methods
 * templates call (`name.upper()`, `path.startswith('/')`).
 */

function pyStr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
}

/** Python's repr() of a JSON-like value. */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return pyStr(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v as object).map(([k, x]) => `${pyStr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return String(v);
}

/** Python's str() of a value as Jinja prints it. */
export function pyPrint(v: unknown): unknown {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Array.isArray(v) || (typeof v === 'object' && v !== undefined && Object.getPrototypeOf(v) === Object.prototype)) return pyRepr(v);
  return v;
}

const asciiEscape = (s: string) => s.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** json.dumps(v, indent, sort_keys, separators) with ensure_ascii, as Ansible's to_json/to_nice_json. */
export function pyJsonDumps(v: unknown, o: { indent?: number; sortKeys?: boolean } = {}): string {
  const itemSep = o.indent !== undefined ? ',' : ', ';
  const walk = (x: unknown, depth: number): string => {
    if (x === null || x === undefined) return 'null';
    if (typeof x === 'string') return asciiEscape(JSON.stringify(x));
    if (typeof x !== 'object') return JSON.stringify(x);
    const pad = (d: number) => (o.indent !== undefined ? `\n${' '.repeat(o.indent * d)}` : '');
    const parts = Array.isArray(x)
      ? x.map((e) => walk(e, depth + 1))
      : (o.sortKeys ? Object.keys(x).sort() : Object.keys(x)).map((k) => `${asciiEscape(JSON.stringify(k))}: ${walk((x as Record<string, unknown>)[k], depth + 1)}`);
    const [open, close] = Array.isArray(x) ? ['[', ']'] : ['{', '}'];
    if (!parts.length) return open + close;
    return open + pad(depth + 1) + parts.join(itemSep + pad(depth + 1)) + pad(depth) + close;
  };
  return walk(v, 0);
}

/** Python's `fmt % args` for %s %d %i %f %r %% (Jinja's `format` filter). */
export function pyFormat(fmt: string, ...args: unknown[]): string {
  let i = 0;
  return fmt.replace(/%([-+ 0]*)(\d+)?(?:\.(\d+))?([sdifr%])/g, (_m, flags: string, width: string | undefined, prec: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    const a = args[i++];
    let s: string;
    if (conv === 'd' || conv === 'i') s = String(Math.trunc(Number(a)));
    else if (conv === 'f') s = Number(a).toFixed(prec === undefined ? 6 : Number(prec));
    else if (conv === 'r') s = pyRepr(a);
    else s = String(pyPrint(a));
    const w = Number(width ?? 0);
    if (s.length >= w) return s;
    return flags.includes('-') ? s.padEnd(w) : s.padStart(w, flags.includes('0') && conv !== 's' ? '0' : ' ');
  });
}

/** The str methods templates commonly call, bound to a string. */
export const STRING_MEMBERS: Record<string, (this: string, ...a: any[]) => unknown> = {
  upper() { return this.toUpperCase(); },
  lower() { return this.toLowerCase(); },
  strip(chars?: string) { return chars ? this.replace(new RegExp(`^[${escapeClass(chars)}]+|[${escapeClass(chars)}]+$`, 'g'), '') : this.trim(); },
  lstrip(chars?: string) { return chars ? this.replace(new RegExp(`^[${escapeClass(chars)}]+`), '') : this.trimStart(); },
  rstrip(chars?: string) { return chars ? this.replace(new RegExp(`[${escapeClass(chars)}]+$`), '') : this.trimEnd(); },
  startswith(p: string) { return this.startsWith(p); },
  endswith(p: string) { return this.endsWith(p); },
  split(sep?: string, max?: number) {
    const parts = sep === undefined ? this.trim().split(/\s+/).filter(Boolean) : this.split(sep);
    return max === undefined || max < 0 ? parts : [...parts.slice(0, max), parts.slice(max).join(sep ?? ' ')].filter((_, i) => i <= max);
  },
  replace(a: string, b: string) { return this.split(a).join(b); },
  capitalize() { return this.charAt(0).toUpperCase() + this.slice(1).toLowerCase(); },
  title() { return this.replace(/\w\S*/g, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()); },
  join(list: unknown[]) { return list.map(String).join(this); },
  isdigit() { return /^\d+$/.test(this); },
  format(...args: unknown[]) { let i = 0; return this.replace(/\{(\d*)\}/g, (_m, n: string) => String(pyPrint(args[n === '' ? i++ : Number(n)]))); },
};

function escapeClass(chars: string): string {
  return chars.replace(/[\]\\^-]/g, '\\$&');
}
