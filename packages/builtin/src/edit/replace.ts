/**
 * Pure port of ansible.builtin.replace (ansible-core 2.14): Python `re.subn` with MULTILINE
 * over the whole file, or over the part between `after` and `before` (searched with DOTALL).
 * Patterns are Python str patterns: `\w`, `\d`, `\s`, `\b` are Unicode-aware, as in Python.
 */
import { ModuleError, pyCompile, pySearch, pySubn } from '@shipshape/core';
import type { EditResult } from './lines.js';

export interface ReplaceEdit {
  readonly path: string;
  readonly regexp: string | RegExp;
  /** Python replacement template: `\1`, `\g<1>`, `\g<name>`. @default '' */
  readonly replace?: string;
  readonly after?: string;
  readonly before?: string;
}

export interface ReplaceResult extends EditResult {
  /** Number of matches replaced. */
  readonly count?: number;
}

/** Apply replace to `content` (`null` = the file does not exist, which Ansible treats as an error). */
export function editReplace(content: string | null, a: ReplaceEdit): ReplaceResult {
  if (content === null) throw new ModuleError(`Path ${a.path} does not exist !`);
  let pattern = '';
  if (a.after && a.before) pattern = `${a.after}(?P<subsection>.*?)${a.before}`;
  else if (a.after) pattern = `${a.after}(?P<subsection>.*)`;
  else if (a.before) pattern = `(?P<subsection>.*)${a.before}`;

  let section = content;
  let start = 0;
  let end = content.length;
  if (pattern) {
    const m = pySearch(pyCompile(pattern, a.after ? 'after' : 'before', { s: true, u: true }), content);
    if (!m) {
      return { content, changed: false, msg: `Pattern for before/after params did not match the given file: ${pattern}` };
    }
    section = m.groups!.subsection!;
    [start, end] = m.indices!.groups!.subsection!;
  }
  const [replaced, count] = pySubn(pyCompile(a.regexp, 'regexp', { m: true, u: true }), a.replace ?? '', section);
  if (count > 0 && replaced !== section) {
    return {
      content: content.slice(0, start) + replaced + content.slice(end),
      changed: true,
      msg: `${count} replacements made`,
      count,
    };
  }
  return { content, changed: false, msg: '', count };
}
