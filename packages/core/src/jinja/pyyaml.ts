/**
 * PyYAML's `yaml.dump` as Ansible's to_yaml / to_nice_yaml call it (sorted keys, allow_unicode,
 * width 80): the same scalar styles (plain, 'single', "double"), indentless sequences in mappings,
 * `-   item` padding for indent 4, flow collections of scalars when default_flow_style is None,
 * and line folding past column 80. from_yaml parses YAML 1.1 as PyYAML does (yes/no are booleans).
 */
import { parse } from 'yaml';
import { PyFloat, isPlainObject, floatRepr } from './pyvalues.js';
import { Secret } from '../command.js';

export interface DumpOptions {
  readonly indent: number;
  /** PyYAML's default_flow_style: null puts collections of scalars in flow style. */
  readonly flow: boolean | null;
}

const WIDTH = 80;
const RESOLVES_NON_STR = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  /^(?:=)$/,
];

interface Analysis { flowPlain: boolean; blockPlain: boolean; single: boolean; multiline: boolean }

const WS = '\0 \t\r\n\x85\u2028\u2029';

/** PyYAML's Emitter.analyze_scalar, for allow_unicode=True. */
function analyze(s: string): Analysis {
  if (s === '') return { flowPlain: false, blockPlain: true, single: true, multiline: false };
  let block = false;
  let flow = false;
  let breaks = false;
  let special = false;
  let leadTrail = false;
  let breakSpace = false;
  let spaceBreak = false;
  if (s.startsWith('---') || s.startsWith('...')) block = flow = true;
  const chars = [...s];
  let preceded = true;
  let followed = chars.length === 1 || WS.includes(chars[1]!);
  let prevSpace = false;
  let prevBreak = false;
  chars.forEach((ch, i) => {
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) flow = block = true;
      if ('?:'.includes(ch)) {
        flow = true;
        if (followed) block = true;
      }
      if (ch === '-' && followed) flow = block = true;
    } else {
      if (',?[]{}'.includes(ch)) flow = true;
      if (ch === ':') {
        flow = true;
        if (followed) block = true;
      }
      if (ch === '#' && preceded) flow = block = true;
    }
    const isBreak = '\n\x85\u2028\u2029'.includes(ch);
    if (isBreak) breaks = true;
    if (!(ch === '\n' || (ch >= ' ' && ch <= '~'))) {
      const cp = ch.codePointAt(0)!;
      const printable = (ch === '\x85' || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp < 0x10ffff)) && ch !== '\ufeff';
      if (!printable) special = true;
    }
    if (ch === ' ') {
      if (i === 0 || i === chars.length - 1) leadTrail = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak) {
      if (i === 0 || i === chars.length - 1) leadTrail = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else prevSpace = prevBreak = false;
    preceded = WS.includes(ch);
    followed = i + 2 >= chars.length || WS.includes(chars[i + 2]!);
  });
  let flowPlain = true;
  let blockPlain = true;
  let single = true;
  if (leadTrail) flowPlain = blockPlain = false;
  if (breakSpace) flowPlain = blockPlain = single = false;
  if (spaceBreak || special) flowPlain = blockPlain = single = false;
  if (breaks) flowPlain = blockPlain = false;
  if (flow) flowPlain = false;
  if (block) blockPlain = false;
  return { flowPlain, blockPlain, single, multiline: breaks };
}

/** Writes text with PyYAML's column bookkeeping. */
class Out {
  text = '';
  column = 0;
  write(s: string): void {
    this.text += s;
    const nl = s.lastIndexOf('\n');
    this.column = nl < 0 ? this.column + [...s].length : [...s.slice(nl + 1)].length;
  }
  indent(n: number): void {
    if (this.text !== '' && !this.text.endsWith('\n')) this.write('\n');
    else if (this.text !== '' && this.column > 0) this.write('\n');
    this.write(' '.repeat(n));
  }
}

const DOUBLE_ESCAPES: Record<string, string> = { '\0': '0', '\x07': 'a', '\b': 'b', '\t': 't', '\n': 'n', '\v': 'v', '\f': 'f', '\r': 'r', '\x1b': 'e', '"': '"', '\\': '\\', '\x85': 'N', '\xa0': '_', '\u2028': 'L', '\u2029': 'P' };

function scalarText(v: unknown): string | undefined {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  if (typeof v === 'number' || v instanceof PyFloat) {
    const n = Number(v);
    if (Number.isNaN(n)) return '.nan';
    if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf';
    const r = floatRepr(n).toLowerCase();
    return !r.includes('.') && r.includes('e') ? r.replace('e', '.0e') : r;
  }
  return undefined;
}

/** Emit one string scalar in the style PyYAML would choose. */
function writeString(out: Out, s: string, indent: number, flowLevel: number, simpleKey: boolean): void {
  const a = analyze(s);
  const plainOk = !RESOLVES_NON_STR.some((re) => re.test(s)) && !(simpleKey && (s === '' || a.multiline)) && (flowLevel ? a.flowPlain : a.blockPlain);
  const sep = out.column === 0 || out.text.endsWith(' ') || out.text.endsWith('[') || out.text.endsWith('{') || out.text.endsWith('\n') ? '' : ' ';
  if (plainOk || (a.single && !(simpleKey && a.multiline))) {
    const quote = plainOk ? '' : "'";
    out.write(sep + quote);
    const body = quote ? s.replace(/'/g, "''") : s;
    writeFolded(out, body, indent, !simpleKey, !!quote);
    out.write(quote);
    return;
  }
  let body = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (DOUBLE_ESCAPES[ch] !== undefined) body += `\\${DOUBLE_ESCAPES[ch]}`;
    else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || ch === '\ufeff' || (cp >= 0xd800 && cp <= 0xdfff)) body += cp < 0x100 ? `\\x${cp.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    else body += ch;
  }
  out.write(`${sep}"${body}"`);
}

/** Words separated by single spaces fold past the width; line breaks in single quotes double. */
function writeFolded(out: Out, s: string, indent: number, split: boolean, quoted: boolean): void {
  const parts = s.split(/(\n+| )/);
  parts.forEach((p, i) => {
    if (p === ' ') {
      const last = i === parts.length - 1;
      const next = parts[i + 1];
      if (split && !last && next !== ' ' && next !== '' && out.column > WIDTH && i !== 0) out.indent(indent);
      else out.write(' ');
    } else if (p.startsWith('\n') && quoted) {
      out.write('\n'.repeat(p.length + 1));
      out.write(' '.repeat(indent));
    } else out.write(p);
  });
}

const isCollection = (v: unknown) => Array.isArray(v) || isPlainObject(v);
const entriesOf = (v: Record<string, unknown>) => Object.keys(v).sort().map((k) => [k, v[k]] as const);

function writeFlow(out: Out, v: unknown, indent: number, flowLevel: number, o: DumpOptions): void {
  const sep = out.column === 0 || out.text.endsWith(' ') || out.text.endsWith('\n') ? '' : ' ';
  const inner = indent + o.indent;
  if (Array.isArray(v)) {
    out.write(`${sep}[`);
    v.forEach((x, i) => {
      if (i) out.write(',');
      if (out.column > WIDTH) out.indent(inner);
      writeNode(out, x, inner, flowLevel + 1, o, false);
    });
    out.write(']');
    return;
  }
  out.write(`${sep}{`);
  entriesOf(v as Record<string, unknown>).forEach(([k, x], i) => {
    if (i) out.write(',');
    if (out.column > WIDTH) out.indent(inner);
    writeString(out, k, inner, flowLevel + 1, true);
    out.write(':');
    writeNode(out, x, inner + o.indent, flowLevel + 1, o, false);
  });
  out.write('}');
}

function writeNode(out: Out, v: unknown, indent: number, flowLevel: number, o: DumpOptions, simpleKey: boolean): void {
  if (v instanceof Secret) v = v.value;
  const scalar = scalarText(v);
  if (scalar !== undefined) {
    out.write(out.column === 0 || out.text.endsWith(' ') || out.text.endsWith('[') || out.text.endsWith('{') || out.text.endsWith('\n') ? scalar : ` ${scalar}`);
  } else if (typeof v === 'string') writeString(out, v, indent, flowLevel, simpleKey);
  else if (isCollection(v)) writeFlow(out, v, indent - o.indent, flowLevel, o);
  else writeString(out, String(v), indent, flowLevel, simpleKey);
}

const flowStyle = (v: unknown, o: DumpOptions) =>
  (Array.isArray(v) ? v.length === 0 : Object.keys(v as object).length === 0) ||
  (o.flow === null && (Array.isArray(v) ? v : Object.values(v as object)).every((x) => !isCollection(x)));

/** A value in block context: `at` is the indent its lines start at. */
function writeBlock(out: Out, v: unknown, at: number, o: DumpOptions, inSeqItem: boolean): void {
  if (v instanceof Secret) v = v.value;
  if (!isCollection(v) || flowStyle(v, o) || o.flow === true) {
    if (isCollection(v)) writeFlow(out, v, at, 0, o);
    else writeNode(out, v, at + o.indent, 0, o, false);
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      if (!(inSeqItem && i === 0)) out.indent(at);
      // Block collections start at the sequence's indent plus one step (`-   key: v`); scalars follow `- `.
      const block = isCollection(x) && !flowStyle(x, o) && o.flow !== true;
      out.write(block ? '-' + ' '.repeat(o.indent - 1) : '-');
      writeBlock(out, x, block ? at + o.indent : at, o, true);
    });
    return;
  }
  entriesOf(v as Record<string, unknown>).forEach(([k, x], i) => {
    if (!(inSeqItem && i === 0)) out.indent(at);
    writeString(out, k, at, 0, true);
    out.write(':');
    if (isCollection(x) && !flowStyle(x, o) && o.flow !== true) {
      writeBlock(out, x, Array.isArray(x) ? at : at + o.indent, o, false);
    } else writeBlock(out, x, at, o, false);
  });
}

/** yaml.dump(v, Dumper=AnsibleDumper, allow_unicode=True, ...) */
export function dumpYaml(v: unknown, o: DumpOptions): string {
  const out = new Out();
  if (isCollection(v)) writeBlock(out, v, 0, o, false);
  else writeNode(out, v, o.indent, 0, o, false);
  return `${out.text}\n`;
}

/** yaml.safe_load: YAML 1.1 types (yes/no booleans, 0o octal as 0777). */
export function loadYaml(text: string): unknown {
  return parse(text, { version: '1.1' });
}
