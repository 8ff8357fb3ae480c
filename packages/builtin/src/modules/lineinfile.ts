import { z } from 'zod';
import { binaryPattern, fileArgsShape, pyStr, regexSchema, toBinary, withAliases, defineEditModule } from '../edit/file-module.js';
import { editLineinfile } from '../edit/lineinfile.js';
import { boolSchema } from '../internal/schemas.js';

export const lineinfileSchema = withAliases(
  z
    .object({
      ...fileArgsShape,
      /** The line to make present (state=present); with backrefs, a template using `\\1`/`\\g<name>`. Alias: value. */
      line: pyStr.optional().describe('The line to make present (state=present); with backrefs, a template using `\\1`/`\\g<name>`.'),
      /** Python regexp: the last matching line is replaced (or removed). Alias: regex. */
      regexp: regexSchema.optional().describe('Python regexp: the last matching line is replaced (or removed).'),
      /** Literal string: the last line containing it is replaced (or removed). */
      search_string: z.string().optional().describe('Literal string: the last line containing it is replaced (or removed).'),
      /** present: the line is in the file; absent: every matching line is removed. @default 'present' */
      state: z.enum(['present', 'absent']).default('present').describe('present: the line is in the file; absent: every matching line is removed.'),
      /** Insert after the last line matching this regexp, or 'EOF' / 'BOF'. */
      insertafter: z.string().optional().describe('Insert after the last line matching this regexp, or \'EOF\' / \'BOF\'.'),
      /** Insert before the last line matching this regexp, or 'BOF'. */
      insertbefore: z.string().optional().describe('Insert before the last line matching this regexp, or \'BOF\'.'),
      /** Expand regexp groups in `line`; when regexp matches nothing the file is left alone. */
      backrefs: boolSchema.default(false).describe('Expand regexp groups in `line`; when regexp matches nothing the file is left alone.'),
      /** Use the first match of regexp/insertafter/insertbefore instead of the last. */
      firstmatch: boolSchema.default(false).describe('Use the first match of regexp/insertafter/insertbefore instead of the last.'),
      /** Create the file when missing. */
      create: boolSchema.default(false).describe('Create the file when missing.'),
    })
    .strict(),
  { dest: 'path', destfile: 'path', name: 'path', regex: 'regexp', value: 'line' },
);

export type LineinfileArgs = z.output<typeof lineinfileSchema>;

/**
 * Ensure a line is present in (or absent from) a file, as Ansible's `lineinfile`: same
 * arguments, same resulting bytes, same `changed`, same failures.
 * @example
 * lineinfile({ path: '/etc/ssh/sshd_config', regexp: '^#?PasswordAuthentication', line: 'PasswordAuthentication no',
 *   validate: '/usr/sbin/sshd -t -f %s' })
 */
export const lineinfile = defineEditModule({
  name: 'lineinfile',
  description: 'Ensure a particular line is in a file, or replace an existing line using a regular expression',
  schema: lineinfileSchema,
  encoding: 'binary',
  edit: (content, a) =>
    editLineinfile(content, {
      ...a,
      line: toBinary(a.line),
      regexp: binaryPattern(a.regexp),
      search_string: toBinary(a.search_string),
      insertafter: toBinary(a.insertafter),
      insertbefore: toBinary(a.insertbefore),
    }),
});
