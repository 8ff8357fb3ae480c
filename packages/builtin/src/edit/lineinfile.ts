/**
 * Pure port of ansible.builtin.lineinfile (ansible-core 2.14): same lines, same `changed`,
 * same failures. Works on lines split after `\n` only, as Python's `readlines()` does, and
 * matches regexps against lines WITH their line ending (so `foo$` matches `foo\n` but not
 * `foo\r\n`, like Python).
 */
import { ArgumentError, ModuleError, pyCompile, pyExpand, pySearch } from '@shipshape/core';
import { type EditResult, readLines, stripEol } from './lines.js';

export interface LineinfileEdit {
  readonly path: string;
  readonly state?: 'present' | 'absent';
  readonly line?: string;
  readonly regexp?: string | RegExp;
  readonly search_string?: string;
  readonly insertafter?: string;
  readonly insertbefore?: string;
  readonly backrefs?: boolean;
  readonly firstmatch?: boolean;
  readonly create?: boolean;
}

export interface LineinfileResult extends EditResult {
  /** backrefs=true and the regexp matched no line: Ansible leaves the file alone. */
  readonly backrefsNoMatch?: boolean;
  /** state=absent: number of lines removed. */
  readonly found?: number;
}

function exclusive(a: LineinfileEdit, pairs: [keyof LineinfileEdit, keyof LineinfileEdit][]): void {
  for (const [x, y] of pairs) {
    const set = (k: keyof LineinfileEdit): boolean => a[k] !== undefined && a[k] !== null && !(k === 'backrefs' && a[k] === false);
    if (set(x) && set(y)) throw new ArgumentError(`parameters are mutually exclusive: ${x}|${y}`, y, a[y]);
  }
}

/** Apply lineinfile to `content` (`null` = the file does not exist). */
export function editLineinfile(content: string | null, a: LineinfileEdit): LineinfileResult {
  exclusive(a, [['insertbefore', 'insertafter'], ['regexp', 'search_string'], ['backrefs', 'search_string']]);
  const warnings: string[] = [];
  if (a.regexp === '' || a.search_string === '') {
    warnings.push(`The ${a.regexp === '' ? 'regular expression' : 'search string'} is an empty string, which will match every line in the file.`);
  }
  if ((a.state ?? 'present') === 'absent') return absent(content, a);
  if (a.backrefs && a.regexp === undefined) throw new ArgumentError('regexp is required with backrefs=true', 'regexp');
  if (a.line === undefined || a.line === null) throw new ArgumentError('line is required with state=present', 'line');
  let insertafter = a.insertafter;
  if (a.insertbefore === undefined && insertafter === undefined) insertafter = 'EOF';
  return { ...present(content, a, a.line, insertafter, a.insertbefore), ...(warnings.length ? { warnings } : {}) };
}

function present(
  content: string | null,
  a: LineinfileEdit,
  line: string,
  insertafter: string | undefined,
  insertbefore: string | undefined,
): LineinfileResult {
  if (content === null && !a.create) throw new ModuleError(`Destination ${a.path} does not exist !`);
  const lines = content === null ? [] : readLines(content);
  const re = a.regexp !== undefined ? pyCompile(a.regexp, 'regexp') : undefined;
  const insRe =
    insertafter !== undefined && insertafter !== 'BOF' && insertafter !== 'EOF'
      ? pyCompile(insertafter, 'insertafter')
      : insertbefore !== undefined && insertbefore !== 'BOF'
        ? pyCompile(insertbefore, 'insertbefore')
        : undefined;

  let found = -1; // index[0]
  let insertAt = -1; // index[1]
  let match: RegExpExecArray | true | undefined;
  if (re) {
    lines.forEach((l, i) => {
      if (match && a.firstmatch) return;
      const m = pySearch(re, l);
      if (m) { found = i; match = m; }
    });
  }
  if (a.search_string !== undefined) {
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.includes(a.search_string)) {
        found = i;
        match = true;
        if (a.firstmatch) break;
      }
    }
  }
  if (!match) {
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (line === stripEol(l)) found = i;
      else if (insRe && pySearch(insRe, l)) {
        if (insertafter) { insertAt = i + 1; if (a.firstmatch) break; }
        if (insertbefore) { insertAt = i; if (a.firstmatch) break; }
      }
    }
  }

  const done = (msg: string, changed: boolean, extra: Partial<LineinfileResult> = {}): LineinfileResult => ({
    content: changed || content !== null ? lines.join('') : null,
    changed,
    msg,
    ...extra,
  });
  const lineNl = `${line}\n`;
  if (found !== -1) {
    let newLine = a.backrefs && match && match !== true ? pyExpand(line, match, 'line') : line;
    if (!newLine.endsWith('\n')) newLine += '\n';
    if (lines[found] !== newLine) {
      lines[found] = newLine;
      return done('line replaced', true);
    }
    return done('', false);
  }
  if (a.backrefs) return done('', false, { backrefsNoMatch: true });
  if (insertbefore === 'BOF' || insertafter === 'BOF') {
    lines.unshift(lineNl);
    return done('line added', true);
  }
  if (insertafter === 'EOF' || insertAt === -1) {
    const last = lines[lines.length - 1];
    if (last !== undefined && !last.endsWith('\n') && !last.endsWith('\r')) lines.push('\n');
    lines.push(lineNl);
    return done('line added', true);
  }
  if (insertafter && insertAt !== -1) {
    if (lines.length === insertAt) {
      if (stripEol(lines[insertAt - 1]!) !== line) {
        lines.push(lineNl);
        return done('line added', true);
      }
    } else if (line !== stripEol(lines[insertAt]!)) {
      lines.splice(insertAt, 0, lineNl);
      return done('line added', true);
    }
    return done('', false);
  }
  lines.splice(insertAt, 0, lineNl);
  return done('line added', true);
}

function absent(content: string | null, a: LineinfileEdit): LineinfileResult {
  if (a.regexp === undefined && a.search_string === undefined && a.line === undefined) {
    throw new ArgumentError('one of line, search_string, or regexp is required with state=absent', 'line');
  }
  if (content === null) return { content: null, changed: false, msg: 'file not present' };
  const re = a.regexp !== undefined ? pyCompile(a.regexp, 'regexp') : undefined;
  const lines = readLines(content);
  const kept = lines.filter((l) => {
    if (re) return !pySearch(re, l);
    if (a.search_string !== undefined) return !l.includes(a.search_string);
    return a.line !== stripEol(l);
  });
  const found = lines.length - kept.length;
  return { content: kept.join(''), changed: found > 0, msg: found > 0 ? `${found} line(s) removed` : '', found };
}
