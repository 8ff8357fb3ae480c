import { z } from 'zod';
import { fileArgsShape, regexSchema, withAliases, defineEditModule } from '../edit/file-module.js';
import { editReplace } from '../edit/replace.js';

export const replaceSchema = withAliases(
  z
    .object({
      ...fileArgsShape,
      /** Python regexp (MULTILINE); every match is replaced. */
      regexp: regexSchema.describe('Python regexp (MULTILINE); every match is replaced.'),
      /** Replacement; `\\1`, `\\g<1>`, `\\g<name>` insert groups. */
      replace: z.string().default('').describe('Replacement; `\\1`, `\\g<1>`, `\\g<name>` insert groups.'),
      /** Only replace after the first match of this regexp (DOTALL). */
      after: z.string().optional().describe('Only replace after the first match of this regexp (DOTALL).'),
      /** Only replace before the match of this regexp (DOTALL). */
      before: z.string().optional().describe('Only replace before the match of this regexp (DOTALL).'),
      /** Text encoding of the file: UTF-8, Latin-1 or ASCII. @default 'utf-8' */
      encoding: z
        .string()
        .transform((e) => e.toLowerCase().replace(/_/g, '-'))
        .pipe(z.enum(['utf-8', 'utf8', 'latin-1', 'latin1', 'iso-8859-1', 'ascii']))
        .default('utf-8')
        .describe('Text encoding of the file: UTF-8, Latin-1 or ASCII.'),
    })
    .strict(),
  { dest: 'path', destfile: 'path', name: 'path' },
);

export type ReplaceArgs = z.output<typeof replaceSchema>;

/**
 * Replace every match of a regular expression in a file, as Ansible's `replace`.
 * @example
 * replace({ path: '/etc/ssh/sshd_config', regexp: '^(Subsystem\\s+sftp\\s+).*$', replace: '\\g<1>internal-sftp' })
 */
export const replace = defineEditModule({
  name: 'replace',
  description: 'Replace all instances of a particular string in a file using a back-referenced regular expression',
  schema: replaceSchema,
  encoding: (a) => (a.encoding.startsWith('utf') ? 'utf8' : a.encoding === 'ascii' ? 'ascii' : 'binary'),
  edit: editReplace,
});
