/**
 * Ansible's parsing of `-a 'key=value ...'` (ansible.parsing.splitter.parse_kv and split_args, ported
 * line by line): words split on spaces but kept together inside quotes and Jinja blocks, one level
 * of matching quotes removed from values, Python escape sequences decoded, and with `checkRaw`
 * (command, shell, raw, script) every word that is not one of their own options kept as free-form
 * `_raw_params`.
 */
import { ArgumentError } from '@shipshape/core';

const RAW_OPTIONS = new Set(['creates', 'removes', 'chdir', 'executable', 'warn', 'stdin', 'stdin_add_newline', 'strip_empty_ends']);

const ESCAPE = /\\U[0-9a-fA-F]{8}|\\u[0-9a-fA-F]{4}|\\x[0-9a-fA-F]{2}|\\N\{[^}]+\}|\\[\\'"abfnrtv]/g;
const SINGLE: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

function decodeEscapes(s: string): string {
  return s.replace(ESCAPE, (m) => {
    const c = m[1]!;
    if (c === 'U' || c === 'u' || c === 'x') return String.fromCodePoint(Number.parseInt(m.slice(2), 16));
    if (c === 'N') throw new ArgumentError(`-a: the escape ${m} (a Unicode character by name) is not supported; write the character itself`, 'args', m);
    return SINGLE[c]!;
  });
}

function quoteState(token: string, quote: string | undefined): string | undefined {
  let q = quote;
  for (let i = 0; i < token.length; i++) {
    const c = token[i]!;
    if ((c === '"' || c === "'") && (i === 0 || token[i - 1] !== '\\')) {
      if (q) {
        if (c === q) q = undefined;
      } else q = c;
    }
  }
  return q;
}

const count = (s: string, sub: string) => s.split(sub).length - 1;

function jinjaDepth(token: string, depth: number, open: string, close: string): number {
  const o = count(token, open);
  const c = count(token, close);
  return o === c ? depth : Math.max(0, depth + o - c);
}

/** split_args: whitespace-separated words, reassembled across quotes and Jinja blocks; newlines kept. */
export function splitArgs(args: string): string[] {
  const params: string[] = [];
  const items = args.split('\n');
  let quote: string | undefined;
  let inside = false;
  let print = 0;
  let block = 0;
  let comment = 0;
  items.forEach((item, itemIdx) => {
    const tokens = item.split(' ');
    let continuation = false;
    tokens.forEach((token, idx) => {
      if (token.length === 0 && idx !== 0) {
        if (!params.length) throw new ArgumentError(`Unable to parse argument string: ${args}`, 'args', args);
        params[params.length - 1] += ' ';
        return;
      }
      if (token === '\\' && !inside) {
        continuation = true;
        return;
      }
      const wasInside = inside;
      quote = quoteState(token, quote);
      inside = quote !== undefined;
      let appended = false;
      if (inside && !wasInside && !(print || block || comment)) {
        params.push(token);
        appended = true;
      } else if (print || block || comment || inside || wasInside) {
        if (idx === 0 && wasInside) params[params.length - 1] += token;
        else if (tokens.length > 1) params[params.length - 1] += `${idx > 0 ? ' ' : ''}${token}`;
        else params[params.length - 1] += `\n${token}`;
        appended = true;
      }
      for (const [open, close, get, set] of [
        ['{{', '}}', () => print, (v: number) => (print = v)],
        ['{%', '%}', () => block, (v: number) => (block = v)],
        ['{#', '#}', () => comment, (v: number) => (comment = v)],
      ] as const) {
        const before = get();
        set(jinjaDepth(token, before, open, close));
        if (get() !== before && !appended) {
          params.push(token);
          appended = true;
        }
      }
      if (!(print || block || comment) && !inside && !appended && token !== '') params.push(token);
    });
    if (items.length > 1 && itemIdx !== items.length - 1 && !continuation) params[params.length - 1] += '\n';
  });
  if (print || block || comment || inside) {
    throw new ArgumentError(`failed at splitting arguments, either an unbalanced jinja2 block or quotes: ${args}`, 'args', args);
  }
  return params;
}

const isQuoted = (d: string) => d.length > 1 && d[0] === d[d.length - 1] && (d[0] === '"' || d[0] === "'") && d[d.length - 2] !== '\\';
const unquote = (d: string) => (isQuoted(d) ? d.slice(1, -1) : d);

function joinArgs(parts: readonly string[]): string {
  let out = '';
  for (const p of parts) out += out.length === 0 || out.endsWith('\n') ? p : ` ${p}`;
  return out;
}

/** parse_kv: `key=value` words into an object; free-form words into `_raw_params` (with `checkRaw`). */
export function parseKv(args: string, checkRaw = false): Record<string, string> {
  const options: Record<string, string> = {};
  const raw: string[] = [];
  for (const orig of splitArgs(args)) {
    const x = decodeEscapes(orig);
    if (!x.includes('=')) {
      raw.push(orig);
      continue;
    }
    let pos = 0;
    for (;;) {
      pos = x.indexOf('=', pos + 1);
      if (pos < 0 || x[pos - 1] !== '\\') break;
    }
    if (pos < 0) {
      raw.push(x.replaceAll('\\=', '='));
      continue;
    }
    const k = x.slice(0, pos);
    if (checkRaw && !RAW_OPTIONS.has(k)) raw.push(orig);
    else options[k.trim()] = unquote(x.slice(pos + 1).trim());
  }
  if (raw.length) options._raw_params = joinArgs(raw);
  return options;
}
