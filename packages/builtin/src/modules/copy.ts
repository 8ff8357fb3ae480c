import * as path from 'node:path';
import { defineModule } from '@shipshape/core';
import { z } from 'zod';
import { gatherPut, planPut, type PutFacts } from '../internal/files.js';
import { pathInfoCommand } from '../internal/pathinfo.js';
import { findLocalSource, localKind, localModeOf, readLocal, walkLocal } from '../internal/local.js';
import { boolSchema, idSchema, modeSchema, preservableModeSchema } from '../internal/schemas.js';

export const copySchema = z
  .object({
    /** Remote destination path (a directory when src is a directory or dest ends with '/'). */
    dest: z.string().min(1).describe('Remote destination path (a directory when src is a directory or dest ends with \'/\').'),
    /** Literal file content (instead of src). */
    content: z.string().optional().describe('Literal file content (instead of src).'),
    /** Controller file or directory to copy (a trailing '/' copies a directory's contents). A relative path is looked for in the playbook's `files/`, then beside the playbook, then in the working directory. */
    src: z.string().min(1).optional().describe('Controller file or directory to copy (a trailing \'/\' copies a directory\'s contents). A relative path is looked for in the playbook\'s `files/`, then beside the playbook, then in the working directory.'),
    /** A mode, or 'preserve' to give each file its controller source's mode. */
    mode: preservableModeSchema.optional().describe('A mode, or \'preserve\' to give each file its controller source\'s mode.'),
    /** Owner of the file: a user name or a numeric uid. */
    owner: idSchema.optional().describe('Owner of the file: a user name or a numeric uid.'),
    /** Group of the file: a group name or a numeric gid. */
    group: idSchema.optional().describe('Group of the file: a group name or a numeric gid.'),
    /** Keep a timestamped copy of a replaced file. */
    backup: boolSchema.default(false).describe('Keep a timestamped copy of a replaced file.'),
    /** false: only create missing files, never replace. */
    force: boolSchema.default(true).describe('false: only create missing files, never replace.'),
    /** Mode of directories created by a recursive copy. */
    directory_mode: modeSchema.optional().describe('Mode of directories created by a recursive copy.'),
    /** Command checking the new file before it replaces the old; `%s` is the temp path. */
    validate: z.string().optional().describe('Command checking the new file before it replaces the old; `%s` is the temp path.'),
  })
  .strict()
  .refine((a) => (a.content === undefined) !== (a.src === undefined), {
    message: 'give exactly one of content and src',
    path: ['content'],
  })
  .refine((a) => a.validate === undefined || a.validate.includes('%s'), { message: 'validate must contain %s', path: ['validate'] });

export type CopyArgs = z.output<typeof copySchema>;

async function gatherCopy(host: Parameters<typeof gatherPut>[0], a: CopyArgs): Promise<PutFacts> {
  if (a.content !== undefined) {
    const facts = await gatherPut(host, [{ dest: a.dest }]);
    return facts;
  }
  const src = await findLocalSource(a.src!, host.vars, 'files');
  if ((await localKind(src, 'src')) === 'file') {
    const contentBase64 = (await readLocal(src, 'src')).toString('base64');
    const localMode = await localModeOf(src);
    const inDir = path.posix.join(a.dest, path.basename(src));
    if (a.dest.endsWith('/')) return gatherPut(host, [{ dest: inDir, contentBase64, localMode }]);
    // dest may be an existing directory: stat both candidates in the same round trip
    const facts = await gatherPut(host, [{ dest: a.dest, contentBase64, localMode }], [a.dest]);
    const d = facts.dirs![0]!.remote;
    if (d.exists && (d.type === 'directory' || d.resolvesToDir)) return gatherPut(host, [{ dest: inDir, contentBase64, localMode }]);
    return { umask: facts.umask, files: facts.files };
  }
  const root = src.endsWith('/') ? a.dest : path.posix.join(a.dest, path.basename(src));
  const entries = await walkLocal(src);
  const files = await Promise.all(
    entries.filter((e) => !e.dir).map(async (e) => ({
      dest: path.posix.join(root, e.rel),
      contentBase64: (await readLocal(path.join(src, e.rel), 'src')).toString('base64'),
      localMode: await localModeOf(path.join(src, e.rel)),
    })),
  );
  // like Ansible, directory_mode also applies to a missing dest above the copied directory
  const dirs = [...new Set([a.dest.replace(/\/+$/, '') || '/', root, ...entries.filter((e) => e.dir).map((e) => path.posix.join(root, e.rel))])];
  return gatherPut(host, files, dirs);
}

/**
 * Copy literal content, a controller file, or a controller directory (recursively) to the host.
 * Idempotent by sha1 checksum; owner/group/mode fixed in place when only they differ.
 * @example
 * copy({ dest: '/etc/motd', content: 'Authorized use only\n', mode: '0644', owner: 'root' })
 */
export const copy = defineModule({
  name: 'copy',
  description: 'Copy content or controller files to the host',
  schema: copySchema,
  gather: gatherCopy,
  // Literal content: one stat-with-checksum of dest, batched with the other tasks' reads.
  prefetch: (a) => (a.content !== undefined && !a.dest.endsWith('/') ? [pathInfoCommand([a.dest], { checksum: true })] : []),
  plan: (a, facts: PutFacts) => planPut(a, facts, a.content),
});
