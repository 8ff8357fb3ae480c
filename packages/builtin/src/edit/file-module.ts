/**
 * What the four editing modules share: Ansible-style argument aliases, the common file
 * arguments, and one pure plan that turns an edit result plus the file's live state into a
 * `write` (or chmod/chown when only attributes differ) or a no-change.
 */
import { type Change, defineModule, type FileDiff, type FileState, type Host, type ModuleFactory, ModuleError, type Plan, changes, noChange } from '@shipshape/core';
import { readFileCommand } from '@shipshape/core/module-kit';
import { z } from 'zod';
import { attrChanges, freshInfo, wantedMode } from '../internal/attrs.js';
import type { ModeArg } from '../internal/mode.js';
import { boolSchema, idSchema, modeSchema } from '../internal/schemas.js';
import { checkValidate, type EditResult } from './lines.js';
import { decodeText, encodeText, type Encoding } from './text-codec.js';

/** Ansible `str` arguments: numbers and booleans from YAML become strings the way Python's str() makes them. */
export const pyStr = z
  .union([z.string(), z.number(), z.boolean()])
  .transform((v) => (typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v)));

/** A Python regular expression (string) or a JS RegExp. */
export const regexSchema = z.union([z.string(), z.instanceof(RegExp)]);

/** The arguments every editing module takes (Ansible's add_file_common_args subset + backup/validate). */
export const fileArgsShape = {
  /** The file to edit. Aliases: dest, destfile, name (ini_file: dest). */
  path: z.string().min(1).describe('The file to edit.'),
  /** Keep a timestamped copy of the old file. */
  backup: boolSchema.default(false).describe('Keep a timestamped copy of the old file.'),
  /** Command run on the temp file before it replaces the original; `%s` is its path. */
  validate: z.string().optional().describe('Command run on the temp file before it replaces the original; `%s` is its path.'),
  /** Mode of the file: octal ('0644', 0o644) or symbolic ('u=rw,go=r'). */
  mode: modeSchema.optional().describe('Mode of the file: octal (\'0644\', 0o644) or symbolic (\'u=rw,go=r\').'),
  /** Owner of the file: a user name or a numeric uid. */
  owner: idSchema.optional().describe('Owner of the file: a user name or a numeric uid.'),
  /** Group of the file: a group name or a numeric gid. */
  group: idSchema.optional().describe('Group of the file: a group name or a numeric gid.'),
};

export interface FileEditArgs {
  readonly path: string;
  readonly backup: boolean;
  readonly validate?: string;
  readonly mode?: ModeArg;
  readonly owner?: string;
  readonly group?: string;
}

/**
 * Accept Ansible's argument aliases (e.g. `dest` for `path`) at runtime, keeping the typed input. The map
 * (alias → option) stays on the schema's definition as `aliases`, where `shipshape doc` reads it.
 */
export function withAliases<T extends z.ZodTypeAny>(
  schema: T,
  aliases: Readonly<Record<string, string>>,
): z.ZodType<z.output<T>, z.ZodTypeDef, z.input<T>> {
  const withMap = z.preprocess((raw) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
    const out: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
    for (const [alias, canonical] of Object.entries(aliases)) {
      if (alias in out && !(canonical in out)) {
        out[canonical] = out[alias];
        delete out[alias];
      }
    }
    return out;
  }, schema);
  Object.assign(withMap._def, { aliases });
  return withMap as unknown as z.ZodType<z.output<T>, z.ZodTypeDef, z.input<T>>;
}


/** UTF-8 text as a string of byte values, so regexps see bytes like Python's bytes patterns do. */
export function toBinary(s: string): string;
export function toBinary(s: string | undefined): string | undefined;
export function toBinary(s: string | undefined): string | undefined {
  return s === undefined ? undefined : Buffer.from(s, 'utf8').toString('latin1');
}

export function binaryPattern(p: string | RegExp | undefined): string | RegExp | undefined {
  return p instanceof RegExp ? new RegExp(toBinary(p.source), p.flags) : toBinary(p);
}

/** The live file state gathered in one round trip. */
export function gatherFile(host: Host, args: { path: string }): Promise<FileState> {
  return host.readFile(args.path);
}

const ATTRS_MSG = 'ownership, perms or SE linux context changed';

/**
 * The umask symbolic modes without "who" (`+x`) are resolved against. The edit modules read the file
 * alone (one round trip, batched), not the host's umask: the usual 022 stands in for it.
 */
const EDIT_UMASK = 0o022;

/** Turn an edit of the file's content into the plan: write / chmod / chown, or nothing. */
export function planFileEdit(
  a: FileEditArgs,
  facts: FileState,
  encoding: Encoding,
  edit: (content: string | null) => EditResult,
  /** Ansible appends "ownership, perms ..." to msg (ini_file does not). */
  attrsInMsg = true,
): Plan {
  if (facts.exists && facts.type === 'directory') throw new ModuleError(`Path ${a.path} is a directory !`);
  const bytes = facts.exists ? (facts.content ?? Buffer.alloc(0)) : null;
  const r = edit(bytes === null ? null : decodeText(bytes, encoding));
  const written = r.changed && r.content !== null;
  const newBytes = written ? encodeText(r.content!, encoding) : null;
  const exists = facts.exists;
  // The same attribute planner as file/copy/template: chown, chgrp, chmod of what differs.
  const base = exists ? { ...facts, mode: facts.mode ?? '0644' } : freshInfo('file', EDIT_UMASK);
  const mode = wantedMode(a.mode, base, EDIT_UMASK);
  const attrs = exists ? attrChanges(a.path, a, base, EDIT_UMASK) : [];
  const msg = attrs.length && attrsInMsg ? (r.msg ? `${r.msg} and ${ATTRS_MSG}` : ATTRS_MSG) : r.msg;
  if (!written) {
    if (!attrs.length) return noChange(r.msg || `${a.path} already as wanted`);
    return changes(msg, attrs);
  }
  checkValidate(a.validate);
  const list: Change[] = [];
  list.push({
    kind: 'write',
    ...(exists ? {} : { createParents: true }),
    path: a.path,
    content: newBytes!,
    ...(mode !== undefined ? { mode } : {}),
    ...(a.owner !== undefined ? { owner: a.owner } : {}),
    ...(a.group !== undefined ? { group: a.group } : {}),
    ...(a.backup && exists ? { backup: true } : {}),
    ...(a.validate ? { validate: a.validate } : {}),
  });
  const diff: FileDiff = { path: a.path, before: bytes?.toString('utf8') ?? '', after: newBytes!.toString('utf8') };
  return changes(msg || 'file changed', list, { diff: [diff] });
}

/**
 * Define a file-editing module: facts are the file read in one round trip, the plan is the pure
 * `edit` of its content (read as bytes or UTF-8 like the Ansible module) turned into a write.
 */
export function defineEditModule<S extends z.ZodType<FileEditArgs, z.ZodTypeDef, unknown>>(spec: {
  readonly name: string;
  readonly description: string;
  readonly schema: S;
  /** How the file is read: fixed, or chosen by the args (replace's `encoding`). */
  readonly encoding: Encoding | ((args: z.output<S>) => Encoding);
  readonly edit: (content: string | null, args: z.output<S>) => EditResult;
  /** @default true */
  readonly attrsInMsg?: boolean;
}): ModuleFactory<S> {
  return defineModule({
    name: spec.name,
    description: spec.description,
    schema: spec.schema,
    gather: gatherFile,
    // the runner may read the file ahead, batched with other tasks' reads (same command as gather)
    prefetch: (a: z.output<S>) => [readFileCommand(a.path)],
    plan: (a: z.output<S>, facts: FileState) => planFileEdit(a, facts, typeof spec.encoding === 'function' ? spec.encoding(a) : spec.encoding, (content) => spec.edit(content, a), spec.attrsInMsg),
  });
}
