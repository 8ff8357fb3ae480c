import { z } from 'zod';
import { fileArgsShape, pyStr, toBinary, withAliases, defineEditModule } from '../edit/file-module.js';
import { editBlockinfile } from '../edit/blockinfile.js';
import { boolSchema } from '../internal/schemas.js';

export const blockinfileSchema = withAliases(
  z
    .object({
      ...fileArgsShape,
      /** The text between the markers; empty removes the block. Alias: content. */
      block: pyStr.default('').describe('The text between the markers; empty removes the block.'),
      /** Marker line template; `{mark}` becomes marker_begin / marker_end. */
      marker: z.string().default('# {mark} ANSIBLE MANAGED BLOCK').describe('Marker line template; `{mark}` becomes marker_begin / marker_end.'),
      /** Replaces {mark} in the first marker line. @default 'BEGIN' */
      marker_begin: z.string().default('BEGIN').describe('Replaces {mark} in the first marker line.'),
      /** Replaces {mark} in the last marker line. @default 'END' */
      marker_end: z.string().default('END').describe('Replaces {mark} in the last marker line.'),
      /** present: the block is in the file; absent: the block and its markers are removed. @default 'present' */
      state: z.enum(['present', 'absent']).default('present').describe('present: the block is in the file; absent: the block and its markers are removed.'),
      /** Insert after the last line matching this regexp, or 'EOF'. */
      insertafter: z.string().optional().describe('Insert after the last line matching this regexp, or \'EOF\'.'),
      /** Insert before the last line matching this regexp, or 'BOF'. */
      insertbefore: z.string().optional().describe('Insert before the last line matching this regexp, or \'BOF\'.'),
      /** Create the file when missing. */
      create: boolSchema.default(false).describe('Create the file when missing.'),
      /** Blank line after the block unless one is there or it ends the file (ansible-core 2.16). */
      append_newline: boolSchema.default(false).describe('Blank line after the block unless one is there or it ends the file (ansible-core 2.16).'),
      /** Blank line before the block unless one is there or it starts the file (ansible-core 2.16). */
      prepend_newline: boolSchema.default(false).describe('Blank line before the block unless one is there or it starts the file (ansible-core 2.16).'),
    })
    .strict(),
  { dest: 'path', destfile: 'path', name: 'path', content: 'block' },
);

export type BlockinfileArgs = z.output<typeof blockinfileSchema>;

/**
 * Insert, update or remove a block of lines between marker lines, as Ansible's `blockinfile`.
 * @example
 * blockinfile({ path: '/etc/ssh/sshd_config', marker: '# {mark} backupuser', validate: '/usr/sbin/sshd -t -f %s',
 *   block: 'Match User backupuser\n  ForceCommand internal-sftp\n  PasswordAuthentication no' })
 */
export const blockinfile = defineEditModule({
  name: 'blockinfile',
  description: 'Insert/update/remove a text block surrounded by marker lines',
  schema: blockinfileSchema,
  encoding: 'binary',
  edit: (content, a) =>
    editBlockinfile(content, {
      ...a,
      block: toBinary(a.block),
      marker: toBinary(a.marker),
      marker_begin: toBinary(a.marker_begin),
      marker_end: toBinary(a.marker_end),
      insertafter: toBinary(a.insertafter),
      insertbefore: toBinary(a.insertbefore),
      bytes: true,
    }),
});
