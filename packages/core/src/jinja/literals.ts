/**
 * String literals as Jinja2 reads them, for nunjucks. Jinja2 decodes a literal with Python's
 * unicode-escape (`'\d'` stays `\d`, `'\1'` is chr(1), `'\x41'` is `A`); nunjucks knows only `\n`,
 * `\t` and `\r` and drops any other backslash (`'\d'` becomes `d`). Each literal in a template's tags
 * is decoded as Jinja2 does and written back in nunjucks' escapes, so both read the same text.
 *
 * Ansible's Templar, when it templates module args and vars (not the template module), first doubles
 * the backslashes of literals inside `{{ }}` (template/__init__.py `_escape_backslashes`), so that
 * `regex_replace('(b)', '\1')` in a playbook means the back-reference `\1`.
 */

const SIMPLE: Record<string, string> = { '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\n': '' };
const HEX: Record<string, number> = { x: 2, u: 4, U: 8 };

/** Python's unicode-escape decoding of a literal's body (an unknown escape keeps its backslash). */
function pyUnescape(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const n = body[i + 1]!;
    if (n in SIMPLE) {
      out += SIMPLE[n];
      i++;
    } else if (n >= '0' && n <= '7') {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
      out += String.fromCodePoint(parseInt(oct, 8));
      i += oct.length;
    } else if (n in HEX) {
      const digits = body.slice(i + 2, i + 2 + HEX[n]!);
      if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== HEX[n]) {
        out += c;
        continue;
      }
      out += String.fromCodePoint(parseInt(digits, 16));
      i += 1 + digits.length;
    } else out += c;
  }
  return out;
}

const NUNJUCKS_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
/** A literal nunjucks reads as `text` (line breaks escaped, so error line numbers stay the template's). */
const nunjucksLiteral = (text: string, quote: string) => `${quote}${text.replace(/[\\\n\r\t]/g, (c) => NUNJUCKS_ESCAPES[c]!).split(quote).join(`\\${quote}`)}${quote}`;

const OPEN = /\{\{-?|\{%-?|\{#/g;
const RAW = /^\{%-?\s*raw\s*-?%\}/;
const ENDRAW = /\{%-?\s*endraw\s*-?%\}/g;

/** One tag from its opening to (not including) its close: its literals rewritten, and where it stops. */
function rewriteTag(text: string, from: number, open: string, ansibleArgs: boolean): [string, number] {
  const variable = open.startsWith('{{');
  const close = variable ? '}}' : '%}';
  let tag = open;
  let i = from + open.length;
  let depth = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      // Jinja's string_re: the quote, then runs of anything but the quote and backslash, or backslash pairs.
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) break;
      let body = text.slice(i + 1, j).replace(/\r\n?/g, '\n');
      if (variable && ansibleArgs) body = body.replace(/\\/g, '\\\\');
      tag += nunjucksLiteral(pyUnescape(body), c);
      i = j + 1;
      continue;
    }
    if (depth === 0 && text.startsWith(close, i)) break;
    if (c === '{' || c === '(' || c === '[') depth++;
    else if ((c === '}' || c === ')' || c === ']') && depth > 0) depth--;
    tag += c;
    i++;
  }
  return [tag, i];
}

/**
 * The template with every string literal inside `{{ }}` and `{% %}` rewritten for nunjucks as Jinja2
 * reads it (`ansibleArgs`: with Ansible's doubling of backslashes inside `{{ }}` first). Text outside
 * tags, comments and `{% raw %}` blocks stay as they are.
 */
export function jinjaLiterals(text: string, ansibleArgs: boolean): string {
  if (!text.includes('\\')) return text;
  let out = '';
  let at = 0;
  OPEN.lastIndex = 0;
  for (let m = OPEN.exec(text); m; m = OPEN.exec(text)) {
    out += text.slice(at, m.index);
    at = m.index;
    if (m[0] === '{#') {
      const end = text.indexOf('#}', at + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(at, stop);
      at = stop;
    } else if (RAW.test(text.slice(at))) {
      ENDRAW.lastIndex = at;
      const end = ENDRAW.exec(text);
      const stop = end ? end.index + end[0].length : text.length;
      out += text.slice(at, stop);
      at = stop;
    } else {
      const [tag, stop] = rewriteTag(text, at, m[0], ansibleArgs);
      out += tag;
      at = stop;
    }
    OPEN.lastIndex = at;
  }
  return out + text.slice(at);
}

/** The expression of a text that is one `{{ }}` and nothing else (braces inside it allowed), else undefined. */
export function singleExpression(text: string): string | undefined {
  if (!text.startsWith('{{') || text.startsWith('{{-')) return undefined;
  const [, close] = rewriteTag(text, 0, '{{', false);
  return close === text.length - 2 && text.endsWith('}}') ? text.slice(2, close) : undefined;
}
