/**
 * Python `re` patterns and replacement templates, run on JavaScript's RegExp engine.
 *
 * Ansible users write Python regular expressions; this translates the parts whose meaning
 * differs in JavaScript so that `search`/`match`/`sub` behave like Python's:
 * `(?P<name>...)`, `(?P=name)`, `\A`, `\Z`, `$` (also matches before a final newline),
 * `.` (never matches `\n` only), `\s` (ASCII whitespace), `{,n}`, `[]...]`, leading inline
 * flags `(?imsx)`, and `(?#comments)`. JS `RegExp` objects are accepted as-is.
 */
import { ArgumentError } from './errors.js';

/** A compiled Python-compatible pattern. */
export interface PyRegex {
  readonly source: string;
  /** Python's re.MULTILINE was set (blockinfile treats such patterns specially). */
  readonly multiline: boolean;
  /** Non-global JS regexp for search(), with match indices (`d`). */
  readonly re: RegExp;
  /** Sticky regexp for match() at a position. */
  readonly sticky: RegExp;
  /** Global regexp for sub(). */
  readonly global: RegExp;
}

const WS = ' \\t\\n\\r\\f\\v';
const UNSUPPORTED = /^\(\?(?:>|\(|[aiLmsux-]+:)/;
/** Python str (Unicode) classes, for text patterns compiled with JS's `u` flag. */
const UW = '\\p{L}\\p{N}_';
const US = '\\s\\x1c-\\x1f\\x85';
const UB = `(?:(?<=[${UW}])(?![${UW}])|(?<![${UW}])(?=[${UW}]))`;
const UNB = `(?:(?<=[${UW}])(?=[${UW}])|(?<![${UW}])(?![${UW}]))`;
const SYNTAX = '^$\\.*+?()[]{}|/';

interface Flags { i: boolean; m: boolean; s: boolean; x: boolean; u: boolean }

/** One `\x` escape; returns the JS text and how many characters after the backslash it used. */
function translateEscape(src: string, at: number, inClass: boolean, u: boolean, bad: (why: string) => never): [string, number] {
  const n = src[at]!;
  if (n === 'A' && !inClass) return ['(?<![\\s\\S])', 1];
  if (n === 'Z' && !inClass) return ['(?![\\s\\S])', 1];
  if (n === 'U' || n === 'N') bad(`\\${n} escapes`);
  if (!u) {
    if (n === 's') return [inClass ? WS : `[${WS}]`, 1];
    if (n === 'S' && !inClass) return [`[^${WS}]`, 1];
    return [`\\${n}`, 1];
  }
  // Unicode (str) semantics under JS's strict `u` syntax
  if (n === 's') return [inClass ? US : `[${US}]`, 1];
  if (n === 'S' && !inClass) return [`[^${US}]`, 1];
  if (n === 'w') return [inClass ? UW : `[${UW}]`, 1];
  if (n === 'W' && !inClass) return [`[^${UW}]`, 1];
  if (n === 'd') return ['\\p{Nd}', 1];
  if (n === 'D') return ['\\P{Nd}', 1];
  if (n === 'b') return [inClass ? '\\x08' : UB, 1];
  if (n === 'B' && !inClass) return [UNB, 1];
  const oct = /^(0[0-7]{0,2}|[0-7]{3})/.exec(src.slice(at));
  if (oct && (oct[1]!.startsWith('0') || inClass || oct[1]!.length === 3)) {
    return [`\\u{${parseInt(oct[1]!, 8).toString(16)}}`, oct[1]!.length];
  }
  if (/[A-Za-z0-9]/.test(n)) return [`\\${n}`, 1];
  if (SYNTAX.includes(n) || (inClass && n === '-')) return [`\\${n}`, 1];
  return [n, 1]; // `\#`, `\:`, `\ ` ...: a literal, which `u` would reject as an escape
}

/** Translate Python regex source to JS regex source (never relying on JS's m/s flags). */
function translate(src: string, flags: Flags, field: string): string {
  let out = '';
  let i = 0;
  let inClass = false;
  const bad = (why: string): never => {
    throw new ArgumentError(`${field}: unsupported Python regular expression ${JSON.stringify(src)}: ${why}`, field, src);
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      if (src[i + 1] === undefined) bad('trailing backslash');
      const [text, used] = translateEscape(src, i + 1, inClass, flags.u, bad);
      out += text;
      i += 1 + used;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      i++;
      continue;
    }
    if (flags.x && /\s/.test(c)) { i++; continue; }
    if (flags.x && c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += '[';
      i++;
      if (src[i] === '^') { out += '^'; i++; }
      // Python: a `]` first in a set is literal; JS would read `[]` as an empty set.
      if (src[i] === ']') { out += '\\]'; i++; }
      continue;
    }
    if (c === '(' && src[i + 1] === '?') {
      const rest = src.slice(i);
      let m: RegExpMatchArray | null;
      if ((m = /^\(\?P<(\w+)>/.exec(rest))) { out += `(?<${m[1]}>`; i += m[0].length; continue; }
      if ((m = /^\(\?P=(\w+)\)/.exec(rest))) { out += `\\k<${m[1]}>`; i += m[0].length; continue; }
      if ((m = /^\(\?#[^)]*\)/.exec(rest))) { i += m[0].length; continue; }
      if ((m = /^\(\?([aiLmsux]+)\)/.exec(rest))) {
        if (out !== '' && !/^(\(\?[aiLmsux]+\))+$/.test(src.slice(0, i))) bad('global flags not at the start');
        i += m[0].length;
        continue; // flags were collected by scanFlags
      }
      if (UNSUPPORTED.test(rest)) bad('atomic groups, conditionals and scoped flags have no JavaScript equivalent');
      out += '(?';
      i += 2;
      continue;
    }
    if ((c === '*' || c === '+' || c === '?' || c === '}') && src[i + 1] === '+') bad('possessive quantifiers');
    if (c === '{') {
      // Python: `{m}`, `{m,}`, `{,n}`, `{m,n}` repeat; any other brace is a literal
      const m = /^\{(\d*)(?:(,)(\d*))?\}/.exec(src.slice(i));
      if (m && (m[1] !== '' || m[2])) {
        if (src[i + m[0].length] === '+') bad('possessive quantifiers');
        out += `{${m[1] || '0'}${m[2] ? `,${m[3]}` : ''}}`;
        i += m[0].length;
        continue;
      }
      out += '\\{';
      i++;
      continue;
    }
    if (c === '}' || c === ']') { out += `\\${c}`; i++; continue; }
    if (c === '.') out += flags.s ? '[\\s\\S]' : '[^\\n]';
    else if (c === '^') out += flags.m ? '(?:^|(?<=\\n))' : '^';
    else if (c === '$') out += flags.m ? '(?=\\n|$)' : '(?=\\n?$)';
    else out += c;
    i++;
  }
  return out;
}

function scanFlags(src: string, extra: Partial<Flags>): Flags {
  const flags: Flags = { i: false, m: false, s: false, x: false, u: false, ...extra };
  const lead = /^(?:\(\?([aiLmsux]+)\))+/.exec(src);
  if (lead) {
    for (const m of lead[0].matchAll(/\(\?([aiLmsux]+)\)/g)) {
      for (const f of m[1]!) {
        if (f === 'a') flags.u = false; // re.ASCII
        else if (f in flags) flags[f as keyof Flags] = true;
      }
    }
  }
  return flags;
}

/**
 * Compile a Python pattern (or take a JS RegExp) for use on file text.
 * @param field the argument name, for error messages
 * @param extra flags the Ansible module itself passes (replace: MULTILINE; replace's after/before: DOTALL);
 *   `u`: a Python str pattern (Unicode `\w`, `\d`, `\s`, `\b`) rather than a bytes pattern
 */
export function pyCompile(pattern: string | RegExp, field: string, extra: Partial<Flags> = {}): PyRegex {
  if (pattern instanceof RegExp) {
    // A JS RegExp keeps JS semantics; the module's own flags (replace: m, after/before: s) are added.
    let base = pattern.flags.replace(/[gyd]/g, '');
    if (extra.m && !base.includes('m')) base += 'm';
    if (extra.s && !base.includes('s')) base += 's';
    return {
      source: pattern.source,
      multiline: pattern.multiline || !!extra.m,
      re: new RegExp(pattern.source, `${base}d`),
      sticky: new RegExp(pattern.source, `${base}y`),
      global: new RegExp(pattern.source, `${base}g`),
    };
  }
  const flags = scanFlags(pattern, extra);
  const js = translate(pattern, flags, field);
  const f = `${flags.i ? 'i' : ''}${flags.u ? 'u' : ''}`;
  try {
    return {
      source: pattern,
      multiline: flags.m,
      re: new RegExp(js, `${f}d`),
      sticky: new RegExp(js, `${f}y`),
      global: new RegExp(js, `${f}g`),
    };
  } catch (e) {
    throw new ArgumentError(`${field}: invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`, field, pattern, { cause: e });
  }
}

/** Python's `pattern.search(text)`. */
export function pySearch(rx: PyRegex, text: string): RegExpExecArray | null {
  return rx.re.exec(text);
}

/** Python's `pattern.match(text)` (anchored at the start). */
export function pyMatch(rx: PyRegex, text: string): RegExpExecArray | null {
  rx.sticky.lastIndex = 0;
  return rx.sticky.exec(text);
}

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

/** Python's `match.expand(template)`: `\1`, `\g<1>`, `\g<name>`, octal and character escapes. */
export function pyExpand(template: string, m: RegExpExecArray, field = 'line'): string {
  const ngroups = m.length - 1;
  const group = (ref: string): string => {
    let v: string | undefined;
    if (/^\d+$/.test(ref)) {
      const n = Number(ref);
      if (n > ngroups) throw new ArgumentError(`${field}: invalid group reference ${n}`, field, template);
      v = m[n];
    } else {
      if (!m.groups || !(ref in m.groups)) throw new ArgumentError(`${field}: unknown group name '${ref}'`, field, template);
      v = m.groups[ref];
    }
    return v ?? '';
  };
  let out = '';
  let i = 0;
  const isOct = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '7';
  const isDig = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';
  while (i < template.length) {
    const c = template[i]!;
    if (c !== '\\') { out += c; i++; continue; }
    const n = template[i + 1];
    if (n === undefined) throw new ArgumentError(`${field}: bad escape (end of pattern)`, field, template);
    if (n === 'g') {
      const gm = /^<([^>]*)>/.exec(template.slice(i + 2));
      if (!gm || gm[1] === '') throw new ArgumentError(`${field}: missing or bad group name after \\g`, field, template);
      out += group(gm[1]!);
      i += 2 + gm[0].length;
    } else if (n === '0') {
      let digits = '0';
      let j = i + 2;
      if (isOct(template[j])) { digits += template[j]; j++; if (isOct(template[j])) { digits += template[j]; j++; } }
      out += String.fromCharCode(parseInt(digits, 8) & 0xff);
      i = j;
    } else if (isDig(n)) {
      let j = i + 2;
      let ref = n;
      if (isDig(template[j])) {
        if (isOct(n) && isOct(template[j]) && isOct(template[j + 1])) {
          const code = parseInt(template.slice(i + 1, j + 2), 8);
          if (code > 0o377) throw new ArgumentError(`${field}: octal escape value outside of range 0-0o377`, field, template);
          out += String.fromCharCode(code);
          i = j + 2;
          continue;
        }
        ref += template[j];
        j++;
      }
      out += group(ref);
      i = j;
    } else if (n in ESCAPES) {
      out += ESCAPES[n];
      i += 2;
    } else if (/[A-Za-z]/.test(n)) {
      throw new ArgumentError(`${field}: bad escape \\${n}`, field, template);
    } else {
      out += `\\${n}`;
      i += 2;
    }
  }
  return out;
}

/** Python's `pattern.subn(repl, text)`: replace every match; returns the text and the count. */
export function pySubn(rx: PyRegex, repl: string, text: string, field = 'replace'): [string, number] {
  // Python parses the template before searching: a bad group reference fails even without a match
  const probe = new RegExp(`${rx.re.source}|`, rx.re.flags.replace('d', '')).exec('')!;
  pyExpand(repl, probe, field);
  const g = rx.global;
  g.lastIndex = 0;
  let out = '';
  let last = 0;
  let count = 0;
  let m: RegExpExecArray | null;
  while ((m = g.exec(text)) !== null) {
    out += text.slice(last, m.index) + pyExpand(repl, m, field);
    last = m.index + m[0].length;
    count++;
    if (m[0] === '') g.lastIndex++;
  }
  return [out + text.slice(last), count];
}
