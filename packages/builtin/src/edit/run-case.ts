/**
 * Run one editing module on in-memory file content: schema parse + pure plan, no host.
 * Used by the fixture tests and the Ansible parity suite.
 */
import { ArgumentError, type FileState, type ModuleDef, parseArgs } from '@shipshape/core';
import { blockinfile } from '../modules/blockinfile.js';
import { iniFile } from '../modules/ini_file.js';
import { lineinfile } from '../modules/lineinfile.js';
import { replace } from '../modules/replace.js';

/** The editing modules by their Ansible names. */
export const editModules: Readonly<Record<string, ModuleDef>> = {
  lineinfile: lineinfile.module,
  blockinfile: blockinfile.module,
  replace: replace.module,
  ini_file: iniFile.module,
};

export interface CaseOutcome {
  readonly changed: boolean;
  /** Resulting file bytes; null when the file does not exist. */
  readonly after: Buffer | null;
  readonly msg: string;
  /** Set when the module failed (bad arguments or an Ansible failure case). */
  readonly error?: string;
}

/**
 * Plan `module` with `args` against a file holding `before` (null: missing) and return what the
 * file would hold afterwards.
 */
export function runEditCase(name: string, args: Record<string, unknown>, before: Buffer | null, mode = '0644'): CaseOutcome {
  const module = editModules[name];
  if (!module) throw new ArgumentError(`unknown editing module ${name}`, 'module', name);
  const facts: FileState =
    before === null ? { exists: false } : { exists: true, type: 'file', content: before, mode, owner: 'root', group: 'root' };
  try {
    const plan = module.plan(parseArgs(module, args, name), facts);
    if (!plan.changed) return { changed: false, after: before, msg: plan.msg };
    const write = plan.changes.find((c) => c.kind === 'write');
    const after = write && write.kind === 'write' ? Buffer.from(write.content) : before;
    return { changed: true, after, msg: plan.msg };
  } catch (e) {
    return { changed: false, after: before, msg: (e as Error).message, error: (e as Error).message };
  }
}
