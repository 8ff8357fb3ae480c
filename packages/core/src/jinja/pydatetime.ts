/**
 * Python's naive datetime and timedelta, as far as templates use them: `to_datetime`, subtracting
 * two datetimes, `.days` / `.seconds` / `.total_seconds()`, `strftime`, and how both print.
 */
import { toFloat } from './pyvalues.js';
import { TemplateUsageError } from './errors.js';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const DAY = 86_400_000;

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A naive datetime; its fields are kept in a UTC Date so no time zone ever applies. */
export class PyDatetime {
  constructor(readonly ms: number) {}
  private get d(): Date {
    return new Date(this.ms);
  }
  get year(): number { return this.d.getUTCFullYear(); }
  get month(): number { return this.d.getUTCMonth() + 1; }
  get day(): number { return this.d.getUTCDate(); }
  get hour(): number { return this.d.getUTCHours(); }
  get minute(): number { return this.d.getUTCMinutes(); }
  get second(): number { return this.d.getUTCSeconds(); }
  get microsecond(): number { return this.d.getUTCMilliseconds() * 1000; }
  plus(ms: number): PyDatetime {
    return new PyDatetime(this.ms + ms);
  }
  strftime(fmt: string): string {
    const d = this.d;
    const map: Record<string, () => string> = {
      Y: () => String(this.year), m: () => pad(this.month), d: () => pad(this.day), H: () => pad(this.hour),
      M: () => pad(this.minute), S: () => pad(this.second), f: () => pad(this.microsecond, 6), y: () => pad(this.year % 100),
      I: () => pad(this.hour % 12 || 12), p: () => (this.hour < 12 ? 'AM' : 'PM'), A: () => DAYS[d.getUTCDay()]!,
      a: () => DAYS[d.getUTCDay()]!.slice(0, 3), B: () => MONTHS[this.month - 1]!, b: () => MONTHS[this.month - 1]!.slice(0, 3),
      j: () => pad(Math.floor((this.ms - Date.UTC(this.year, 0, 1)) / DAY) + 1, 3), w: () => String(d.getUTCDay()),
      s: () => String(Math.floor(this.ms / 1000)), '%': () => '%',
    };
    return fmt.replace(/%(.)/g, (m, c: string) => map[c]?.() ?? m);
  }
  isoformat(sep = 'T'): string {
    return this.toString().replace(' ', sep);
  }
  timestamp(): number {
    return this.ms / 1000;
  }
  toString(): string {
    const base = `${pad(this.year, 4)}-${pad(this.month)}-${pad(this.day)} ${pad(this.hour)}:${pad(this.minute)}:${pad(this.second)}`;
    return this.microsecond ? `${base}.${pad(this.microsecond, 6)}` : base;
  }
  toJSON(): string {
    return this.isoformat();
  }
}

/** The difference of two datetimes. */
export class PyTimedelta {
  constructor(readonly ms: number) {}
  get days(): number { return Math.floor(this.ms / DAY); }
  get seconds(): number { return Math.floor((this.ms - this.days * DAY) / 1000); }
  get microseconds(): number { return (this.ms % 1000 + 1000) % 1000 * 1000; }
  total_seconds(): unknown {
    return toFloat(this.ms / 1000);
  }
  toString(): string {
    const s = this.seconds;
    const clock = `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}${this.microseconds ? `.${pad(this.microseconds, 6)}` : ''}`;
    if (!this.days) return clock;
    return `${this.days} day${Math.abs(this.days) === 1 ? '' : 's'}, ${clock}`;
  }
}

/** datetime.strptime for the directives Ansible users pass to `to_datetime`. */
export function strptime(text: string, fmt: string): PyDatetime {
  const parts: Record<string, number> = { Y: 1900, m: 1, d: 1, H: 0, M: 0, S: 0, f: 0 };
  const fields: string[] = [];
  const re = fmt.replace(/%(.)|([.*+?^${}()|[\]\\])/g, (_m, c: string | undefined, lit: string | undefined) => {
    if (lit) return `\\${lit}`;
    if (c === '%') return '%';
    const width: Record<string, string> = { Y: '(\\d{4})', y: '(\\d{2})', f: '(\\d{1,6})' };
    if (!'YmdHMSfy'.includes(c!)) throw new TemplateUsageError(`to_datetime: format directive %${c} is not supported`);
    fields.push(c!);
    return width[c!] ?? '(\\d{1,2})';
  });
  const m = new RegExp(`^${re}$`).exec(text);
  if (!m) throw new TemplateUsageError(`ValueError: time data '${text}' does not match format '${fmt}'`);
  fields.forEach((f, i) => {
    const v = m[i + 1]!;
    if (f === 'y') parts.Y = Number(v) + (Number(v) < 69 ? 2000 : 1900);
    else if (f === 'f') parts.f = Number(v.padEnd(6, '0'));
    else parts[f] = Number(v);
  });
  return new PyDatetime(Date.UTC(parts.Y!, parts.m! - 1, parts.d, parts.H, parts.M, parts.S, Math.floor(parts.f! / 1000)));
}
