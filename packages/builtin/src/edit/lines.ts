/** Line splitting exactly as the Ansible modules' Python does it. */
import { ModuleError } from '@shipshape/core';

/** The result every pure editing function returns. */
export interface EditResult {
  /** New file content; `null` when the file stays missing. */
  readonly content: string | null;
  readonly changed: boolean;
  /** Ansible's `msg` ('line added', 'Block inserted', '2 replacements made', ...). */
  readonly msg: string;
  /** Non-fatal warnings Ansible would print. */
  readonly warnings?: readonly string[];
}

/** Python `bytes.readlines()`: split after every `\n`, keeping it (a `\r` alone does not split). */
export function readLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
    out.push(text.slice(start, i + 1));
    start = i + 1;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** Python `bytes.splitlines(True)`: split after `\n`, `\r\n` or a lone `\r`, keeping them. */
export function splitLinesKeep(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

/** Python `line.rstrip('\r\n')`. */
export function stripEol(line: string): string {
  return line.replace(/[\r\n]+$/, '');
}

/** Python's universal-newline text reading: `\r\n` and lone `\r` become `\n`. */
export function universalNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** Ansible's `"%s" in validate` check, done before writing. */
export function checkValidate(validate: string | undefined): void {
  if (validate !== undefined && validate !== null && validate !== '' && !validate.includes('%s')) {
    throw new ModuleError(`validate must contain %s: ${validate}`);
  }
}
