/**
 * Pure port of community.general.ini_file. Default behaviour is that of the version Debian
 * ships (community.general 6.6.2, the parity reference); `ignore_spaces` (7.5.0),
 * `modify_inactive_option` (8.0.0) and `section_has_values` (8.6.0) follow the current
 * upstream module. Lines are found as Python's universal newlines find them (`\n`, `\r\n`, a lone
 * `\r`) and a UTF-8 BOM is skipped, but unlike the Python module, which rewrites the whole file with
 * `\n` and without the BOM (and fails on bytes that are not UTF-8), every byte outside the lines it
 * changes is kept: a changed line keeps its own line break, a new line gets the file's first one.
 */
import { ArgumentError, ModuleError, type PyRegex, pyCompile, pyMatch } from '@shipshape/core';
import { type EditResult, splitLinesKeep } from './lines.js';

export interface SectionHasValue {
  readonly option: string;
  readonly value?: string;
  readonly values?: readonly string[];
}

export interface IniFileEdit {
  readonly path: string;
  readonly section?: string | null;
  readonly option?: string;
  readonly value?: string;
  readonly values?: readonly string[];
  readonly state?: 'present' | 'absent';
  /** @default true */
  readonly exclusive?: boolean;
  readonly allow_no_value?: boolean;
  readonly no_extra_spaces?: boolean;
  /** community.general >= 7.5.0 */
  readonly ignore_spaces?: boolean;
  /** community.general >= 8.0.0. @default true */
  readonly modify_inactive_option?: boolean;
  /** community.general >= 8.6.0 */
  readonly section_has_values?: readonly SectionHasValue[];
  /** @default true */
  readonly create?: boolean;
}

const FAKE = 'ad01e11446efb704fcdbdb21f2c43757423d91c5';
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/#&~ \t\n\r\v\f-]/g, '\\$&');
const COMMENT_OR_BLANK = pyCompile('^[ \\t]*([#;].*)?$', 'ini_file');
/** A line as the Python module sees it: its line break read as `\n`. */
const norm = (line: string): string => line.replace(/\r\n?$/, '\n');
/** A `\n`-ended line given another line break. */
const withBreak = (line: string, eol: string): string => (eol === '\n' ? line : line.slice(0, -1) + eol);
const breakOf = (line: string): string => /\r\n$/.exec(line)?.[0] ?? (line.endsWith('\r') ? '\r' : '\n');

/** Option matchers: groups 1 comment char, 7 value (same regexes as ini_file's match_opt). */
function matchers(option: string): { any: PyRegex; active: PyRegex } {
  const o = escapeRe(option);
  return {
    any: pyCompile(`([#;]?)( |\\t)*(${o})( |\\t)*(=|$)( |\\t)*(.*)`, 'option'),
    active: pyCompile(`()( |\\t)*(${o})( |\\t)*(=|$)( |\\t)*(.*)`, 'option'),
  };
}

/** Apply ini_file to `content` (`null` = the file does not exist). */
export function editIniFile(content: string | null, a: IniFileEdit): EditResult {
  const state = a.state ?? 'present';
  const allowNoValue = a.allow_no_value ?? false;
  const exclusive = a.exclusive ?? true;
  if (a.value !== undefined && a.values !== undefined) {
    throw new ArgumentError('parameters are mutually exclusive: value|values', 'values', a.values);
  }
  if (state === 'present' && !allowNoValue && a.value === undefined && !a.values?.length) {
    throw new ArgumentError("Parameter 'value(s)' must be defined if state=present and allow_no_value=False.", 'value');
  }
  const values: string[] = [];
  for (const v of a.value !== undefined ? [a.value] : (a.values ?? [])) if (v != null && !values.includes(v)) values.push(v);
  const shv = a.section_has_values?.map((c) => ({ option: c.option, values: c.value !== undefined ? [c.value] : [...(c.values ?? [])] }));

  if (content === null && !(a.create ?? true)) throw new ModuleError(`Destination ${a.path} does not exist!`);
  const bom = content?.startsWith('\uFEFF') ? '\uFEFF' : '';
  const text = content === null ? '' : content.slice(bom.length);
  const nl = /\r\n|\r|\n/.exec(text)?.[0] ?? '\n';
  const added = (line: string): string => withBreak(line, nl);
  let lines = splitLinesKeep(text);
  let changed = false;
  if (!lines.length) lines.push('\n');
  if (!/[\r\n]$/.test(lines[lines.length - 1]!)) {
    lines[lines.length - 1] += nl;
    changed = true;
  }
  lines = [`[${FAKE}]`, ...lines, '['];
  const section = a.section || FAKE;
  const option = a.option;
  const fmt = (v: string): string => (a.no_extra_spaces ? `${option}=${v}\n` : `${option} = ${v}\n`);
  let msg = 'OK';

  const hasValues = (sect: string[]): boolean =>
    (shv ?? []).every((c) => {
      const { any } = matchers(c.option);
      return sect.some((l) => {
        const m = pyMatch(any, norm(l));
        return m !== null && (c.values.length === 0 || c.values.includes(m[7]!));
      });
    });
  let within = false;
  let start = 0;
  let end = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (shv && within && line.startsWith('[')) {
      if (hasValues(lines.slice(start, i))) { end = i; break; }
      within = false;
      start = end = 0;
    }
    if (line.startsWith(`[${section}]`)) {
      within = true;
      start = i;
    } else if (!shv && line.startsWith('[') && within) {
      end = i;
      break;
    }
  }
  const before = lines.slice(0, start);
  let sect = lines.slice(start, end);
  const after = lines.slice(end);
  const touched = sect.map(() => false);
  const m = option !== undefined ? matchers(option) : undefined;
  const matchFn = (l: string): RegExpExecArray | null =>
    m ? pyMatch((a.modify_inactive_option ?? true) ? m.any : m.active, norm(l)) : null;

  const update = (i: number, newline: string): void => {
    let optionChanged: boolean | undefined;
    if (a.ignore_spaces) {
      const old = pyMatch(m!.any, norm(sect[i]!));
      if (old && !old[1]) optionChanged = old[7] !== pyMatch(m!.any, newline)![7];
    }
    if (optionChanged === undefined) optionChanged = norm(sect[i]!) !== newline;
    if (optionChanged) {
      sect[i] = withBreak(newline, breakOf(sect[i]!));
      changed = true;
      msg = 'option changed';
    }
    touched[i] = true;
  };

  let noValuePresent = false;
  if (state === 'present' && option) {
    for (let i = 0; i < sect.length; i++) {
      const mt = matchFn(sect[i]!);
      if (!mt) continue;
      if (values.length && values.includes(mt[7]!)) {
        const matched = mt[7]!;
        if (!matched && allowNoValue) {
          update(i, `${option}\n`);
          noValuePresent = true;
        } else update(i, fmt(matched));
        values.splice(values.indexOf(matched), 1);
      } else if (!values.length && allowNoValue) {
        update(i, `${option}\n`);
        noValuePresent = true;
        break;
      }
    }
  }
  if (state === 'present' && exclusive && !allowNoValue) {
    // ini_file runs its option regexp with option=None here and dies with a TypeError
    if (!option && sect.length) throw new ModuleError('ini_file: a value without an option fails in Ansible (TypeError); give option');
    if (values.length) {
      for (let i = 0; i < sect.length; i++) {
        if (!touched[i] && matchFn(sect[i]!)) {
          update(i, fmt(values.shift()!));
          if (!values.length) break;
        }
      }
    }
    for (let i = sect.length - 1; i > 0; i--) {
      if (!touched[i] && matchFn(sect[i]!)) {
        sect.splice(i, 1);
        touched.splice(i, 1);
        changed = true;
        msg = 'option changed';
      }
    }
  }
  if (state === 'present') {
    for (let i = sect.length; i > 0; i--) {
      if (pyMatch(COMMENT_OR_BLANK, norm(sect[i - 1]!))) continue;
      if (option && values.length) {
        sect.splice(i, 0, ...values.map((v) => added(fmt(v))));
        msg = 'option added';
        changed = true;
      } else if (option && !values.length && allowNoValue && !noValuePresent) {
        sect.splice(i, 0, added(`${option}\n`));
        msg = 'option added';
        changed = true;
      }
      break;
    }
  }
  if (state === 'absent') {
    if (option) {
      const kept = sect.filter((l) => {
        const mt = pyMatch(m!.active, norm(l));
        return !(mt && (exclusive || values.includes(mt[7]!)));
      });
      if ((exclusive || values.length) && kept.length !== sect.length) {
        changed = true;
        msg = 'option changed';
        sect = kept;
      }
    } else if (sect.length) {
      sect = [];
      msg = 'section removed';
      changed = true;
    }
  }

  const out = [...before, ...sect, ...after].slice(1, -1);
  if (!within && state === 'present') {
    out.push(added(`[${section}]\n`));
    msg = 'section and option added';
    for (const c of shv ?? []) {
      if (c.option !== option) {
        if (c.values.length) out.push(...c.values.map((v) => added(a.no_extra_spaces ? `${c.option}=${v}\n` : `${c.option} = ${v}\n`)));
        else if (allowNoValue) out.push(added(`${c.option}\n`));
      } else if (!exclusive) {
        for (const v of c.values) if (!values.includes(v)) values.push(v);
      }
    }
    if (option && values.length) out.push(...values.map((v) => added(fmt(v))));
    else if (option && !values.length && allowNoValue) out.push(added(`${option}\n`));
    else msg = 'only section added';
    changed = true;
  }
  return { content: changed ? bom + out.join('') : content, changed, msg };
}
