/**
 * Python's `ast.literal_eval` for the literals Ansible's INI plugin meets in practice:
 * numbers, strings (all quote and prefix forms), True/False/None, lists, tuples, dicts.
 * INI values go through it; anything it cannot read stays the original string, as in Ansible.
 */

import { InventoryValueError } from './errors.js';

class NotLiteral extends InventoryValueError {}

/** Ansible's INI `_parse_value`: the Python literal when the text is one, else the text. */
export function parseIniValue(text: string): unknown {
  try {
    return literalEval(text);
  } catch (e) {
    if (e instanceof NotLiteral) return text;
    throw e;
  }
}

export function literalEval(text: string): unknown {
  const p = new Parser(text.replace(/^[ \t]+/, ''));
  const v = p.expr();
  p.ws();
  if (p.i < p.s.length) throw new NotLiteral('trailing text');
  return v;
}

const NUM = /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\.?)(?:[eE][+-]?[0-9](?:_?[0-9])*)?)/;

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  ws(): void {
    while (this.i < this.s.length && ' \t\n\r\f'.includes(this.s[this.i]!)) this.i++;
  }

  expr(): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === undefined) throw new NotLiteral('empty');
    if (c === '[') return this.seq(']');
    if (c === '(') return this.paren();
    if (c === '{') return this.brace();
    if (c === '-' || c === '+') {
      this.i++;
      this.ws();
      const n = this.number();
      return c === '-' ? -n : n;
    }
    const str = this.strings();
    if (str !== undefined) return str;
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i));
    if (word) {
      this.i += word[0].length;
      if (word[0] === 'True') return true;
      if (word[0] === 'False') return false;
      if (word[0] === 'None') return null;
      throw new NotLiteral('name');
    }
    return this.number();
  }

  number(): number {
    const m = NUM.exec(this.s.slice(this.i));
    if (!m || m[0] === '') throw new NotLiteral('number');
    const t = m[0].replace(/_/g, '');
    this.i += m[0].length;
    if (/^[0-9A-Za-z_.]/.test(this.s[this.i] ?? ' ')) throw new NotLiteral('number');
    if (/^0[xob]/i.test(t)) return Number(t.toLowerCase());
    if (/^[0-9]+$/.test(t)) {
      if (/^0+[1-9]/.test(t)) throw new NotLiteral('leading zero');
      return Number(t);
    }
    return Number(t);
  }

  /** One or more adjacent string literals (Python concatenates them). */
  strings(): string | undefined {
    let out: string | undefined;
    for (;;) {
      this.ws();
      const m = /^([rRuUbB]|[bB][rR]|[rR][bB])?(['"])/.exec(this.s.slice(this.i));
      if (!m) return out;
      this.i += m[0].length;
      out = (out ?? '') + this.stringBody(m[2]!, /r/i.test(m[1] ?? ''));
    }
  }

  stringBody(q: string, isRaw: boolean): string {
    const triple = this.s.startsWith(q + q, this.i);
    if (triple) this.i += 2;
    const close = triple ? q.repeat(3) : q;
    let out = '';
    for (;;) {
      if (this.i >= this.s.length) throw new NotLiteral('unterminated string');
      if (this.s.startsWith(close, this.i)) {
        this.i += close.length;
        return out;
      }
      const c = this.s[this.i]!;
      if (c === '\n' && !triple) throw new NotLiteral('newline in string');
      if (c === '\\') {
        const n = this.s[this.i + 1];
        if (n === undefined) throw new NotLiteral('unterminated string');
        if (isRaw) {
          out += c + n;
          this.i += 2;
          continue;
        }
        out += this.escape();
        continue;
      }
      out += c;
      this.i++;
    }
  }

  escape(): string {
    const n = this.s[this.i + 1]!;
    this.i += 2;
    const simple: Record<string, string> = {
      '\n': '', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
    };
    if (n in simple) return simple[n]!;
    if (/[0-7]/.test(n)) {
      const m = /^[0-7]{0,2}/.exec(this.s.slice(this.i))![0];
      this.i += m.length;
      return String.fromCodePoint(Number.parseInt(n + m, 8));
    }
    const width = n === 'x' ? 2 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
    if (width) {
      const hex = this.s.slice(this.i, this.i + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) throw new NotLiteral('bad escape');
      this.i += width;
      return String.fromCodePoint(Number.parseInt(hex, 16));
    }
    return '\\' + n;
  }

  seq(end: string): unknown[] {
    this.i++;
    const out: unknown[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === end) {
        this.i++;
        return out;
      }
      out.push(this.expr());
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== end) throw new NotLiteral('bad sequence');
    }
  }

  paren(): unknown {
    const start = this.i;
    this.i++;
    this.ws();
    if (this.s[this.i] === ')') {
      this.i++;
      return [];
    }
    const first = this.expr();
    this.ws();
    if (this.s[this.i] === ')') {
      this.i++;
      return first;
    }
    this.i = start;
    return this.seq(')');
  }

  brace(): unknown {
    this.i++;
    const out: Record<string, unknown> = {};
    const set: unknown[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === '}') {
        this.i++;
        return set.length ? set : out;
      }
      const key = this.expr();
      this.ws();
      if (this.s[this.i] === ':') {
        if (set.length) throw new NotLiteral('mixed set/dict');
        this.i++;
        out[pyKey(key)] = this.expr();
      } else {
        if (Object.keys(out).length) throw new NotLiteral('mixed set/dict');
        set.push(key);
      }
      this.ws();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') throw new NotLiteral('bad dict');
    }
  }
}

/** How a Python dict key prints as a JSON key. */
function pyKey(k: unknown): string {
  if (k === true) return 'true';
  if (k === false) return 'false';
  if (k === null) return 'null';
  return String(k);
}
