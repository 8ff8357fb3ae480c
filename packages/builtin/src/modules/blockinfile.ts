import { z } from 'zod';
import { fileArgsShape, pyStr, toBinary, withAliases, defineEditModule } from '../edit/file-module.js';
import { editBlockinfile } from '../edit/blockinfile.js';
import { boolSchema } from '../internal/schemas.js';

export const blockinfileSchema = withAliases(
  z
    .object({
      ...fileArgsShape,
      /** The text between the markers; empty removes the block. Alias: content. @default '' */
      block: pyStr.default(''),
      /** Marker line template; `{mark}` becomes marker_begin / marker_end. @default '# {mark} ANSIBLE MANAGED BLOCK' */
      marker: z.string().default('# {mark} ANSIBLE MANAGED BLOCK'),
      /** @default 'BEGIN' */
      marker_begin: z.string().default('BEGIN'),
      /** @default 'END' */
      marker_end: z.string().default('END'),
      /** @default 'present' */
      state: z.enum(['present', 'absent']).default('present'),
      /** Insert after the last line matching this regexp, or 'EOF'. @default 'EOF' */
      insertafter: z.string().optional(),
      /** Insert before the last line matching this regexp, or 'BOF'. */
      insertbefore: z.string().optional(),
      /** Create the file when missing. @default false */
      create: boolSchema.default(false),
      /** Blank line after the block unless one is there or it ends the file (ansible-core 2.16). @default false */
      append_newline: boolSchema.default(false),
      /** Blank line before the block unless one is there or it starts the file (ansible-core 2.16). @default false */
      prepend_newline: boolSchema.default(false),
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
