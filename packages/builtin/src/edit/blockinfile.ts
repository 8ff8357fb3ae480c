/**
 * Pure port of ansible.builtin.blockinfile (ansible-core 2.14), plus `append_newline` and
 * `prepend_newline` from ansible-core 2.16 as the current upstream module implements them.
 * Lines split like Python's `bytes.splitlines(True)` (`\n`, `\r\n`, lone `\r`); markers
 * must match whole lines ending in `\n`.
 */
import { ArgumentError, ModuleError, pyCompile, pySearch, pySubn } from '@shipshape/core';
import { type EditResult, splitLinesKeep } from './lines.js';

export interface BlockinfileEdit {
  readonly path: string;
  readonly state?: 'present' | 'absent';
  /** @default '# {mark} ANSIBLE MANAGED BLOCK' */
  readonly marker?: string;
  /** @default 'BEGIN' */
  readonly marker_begin?: string;
  /** @default 'END' */
  readonly marker_end?: string;
  /** @default '' */
  readonly block?: string;
  readonly insertafter?: string;
  readonly insertbefore?: string;
  readonly create?: boolean;
  /** ansible-core >= 2.16 */
  readonly append_newline?: boolean;
  /** ansible-core >= 2.16 */
  readonly prepend_newline?: boolean;
  /** Content and args are byte strings (one char per byte), as the module passes them. */
  readonly bytes?: boolean;
}

/** Apply blockinfile to `content` (`null` = the file does not exist). */
export function editBlockinfile(content: string | null, a: BlockinfileEdit): EditResult {
  if (a.insertafter !== undefined && a.insertbefore !== undefined) {
    throw new ArgumentError('parameters are mutually exclusive: insertbefore|insertafter', 'insertbefore', a.insertbefore);
  }
  const present = (a.state ?? 'present') === 'present';
  if (content === null) {
    if (!a.create) throw new ModuleError(`Path ${a.path} does not exist !`);
    if (!present) return { content: null, changed: false, msg: `File ${a.path} not present` };
  }
  const lines = content === null ? [] : splitLinesKeep(content);
  let insertafter = a.insertafter;
  const insertbefore = a.insertbefore;
  if (insertbefore === undefined && insertafter === undefined) insertafter = 'EOF';
  const insertRe =
    insertafter !== undefined && insertafter !== 'EOF'
      ? pyCompile(insertafter, 'insertafter')
      : insertbefore !== undefined && insertbefore !== 'BOF'
        ? pyCompile(insertbefore, 'insertbefore')
        : undefined;

  const marker = a.marker ?? '# {mark} ANSIBLE MANAGED BLOCK';
  // Ansible: re.sub(r'{mark}', marker_begin, marker), so marker_begin is a replacement template.
  const markRe = pyCompile('\\{mark\\}', 'marker');
  const marker0 = `${pySubn(markRe, a.marker_begin ?? 'BEGIN', marker, 'marker_begin')[0]}\n`;
  const marker1 = `${pySubn(markRe, a.marker_end ?? 'END', marker, 'marker_end')[0]}\n`;
  let block = a.block ?? '';
  let blockLines: string[] = [];
  if (present && block) {
    if (!block.endsWith('\n')) block += '\n';
    blockLines = [marker0, ...splitLinesKeep(block), marker1];
  }

  let n0: number | undefined;
  let n1: number | undefined;
  lines.forEach((l, i) => {
    if (l === marker0) n0 = i;
    if (l === marker1) n1 = i;
  });
  let at: number;
  if (n0 === undefined || n1 === undefined) {
    let pos: number | undefined;
    if (insertRe) {
      if (insertRe.multiline) {
        // Ansible searches the original content, which is None for a new file: a TypeError
        if (content === null) throw new ModuleError(`blockinfile: a MULTILINE ${insertafter ? 'insertafter' : 'insertbefore'} fails on a missing file`);
        const m = pySearch(insertRe, content);
        if (m) {
          const upto = insertafter ? m.index + m[0].length : m.index;
          // Ansible counts newlines in the decoded text up to the match's byte offset
          const text = a.bytes ? Buffer.from(content, 'latin1').toString('utf8') : content;
          pos = text.slice(0, upto).split('\n').length - 1;
        }
      } else {
        lines.forEach((l, i) => {
          if (pySearch(insertRe, l)) pos = i;
        });
      }
      if (pos === undefined) pos = lines.length;
      else if (insertafter !== undefined) pos += 1;
    } else if (insertbefore !== undefined) pos = 0;
    else pos = lines.length;
    at = pos;
  } else if (n0 < n1) {
    lines.splice(n0, n1 - n0 + 1);
    at = n0;
  } else {
    lines.splice(n1, n0 - n1 + 1);
    at = n1;
  }

  if (at > 0 && !lines[at - 1]!.endsWith('\n')) lines[at - 1] += '\n';
  if (a.prepend_newline && present && at !== 0 && lines[at - 1] !== '\n') {
    lines.splice(at, 0, '\n');
    at += 1;
  }
  lines.splice(at, 0, ...blockLines);
  if (a.append_newline && present) {
    const after = at + blockLines.length;
    if (after < lines.length && lines[after] !== '\n') lines.splice(after, 0, '\n');
  }
  const result = lines.join('');
  if (content === result) return { content, changed: false, msg: '' };
  if (content === null) return { content: result, changed: true, msg: 'File created' };
  return { content: result, changed: true, msg: blockLines.length ? 'Block inserted' : 'Block removed' };
}
