import { z } from 'zod';
import { fileArgsShape, pyStr, withAliases, defineEditModule } from '../edit/file-module.js';
import { editIniFile } from '../edit/inifile.js';
import { boolSchema } from '../internal/schemas.js';

export const iniFileSchema = withAliases(
  z
    .object({
      ...fileArgsShape,
      /** Section name; omitted/null/empty: options before the first section. */
      section: z.string().nullable().optional().describe('Section name; omitted/null/empty: options before the first section.'),
      /** Option name; omitted to add/remove a whole section. */
      option: z.string().optional().describe('Option name; omitted to add/remove a whole section.'),
      /** Value of the option (same as values: [value]). */
      value: pyStr.optional().describe('Value of the option (same as values: [value]).'),
      /** Several values for one option (one line each). */
      values: z.array(pyStr).optional().describe('Several values for one option (one line each).'),
      /** present: the option (or section) is set; absent: it is removed. @default 'present' */
      state: z.enum(['present', 'absent']).default('present').describe('present: the option (or section) is set; absent: it is removed.'),
      /** true: other values of the option are removed (absent: all lines of it). */
      exclusive: boolSchema.default(true).describe('true: other values of the option are removed (absent: all lines of it).'),
      /** Options without `=` (a bare `option` line). */
      allow_no_value: boolSchema.default(false).describe('Options without `=` (a bare `option` line).'),
      /** Write `option=value` instead of `option = value`. */
      no_extra_spaces: boolSchema.default(false).describe('Write `option=value` instead of `option = value`.'),
      /** Leave a line alone when only spacing around `=` differs (community.general 7.5). */
      ignore_spaces: boolSchema.default(false).describe('Leave a line alone when only spacing around `=` differs (community.general 7.5).'),
      /** Reuse a commented-out `#option = ...` line (community.general 8.0). */
      modify_inactive_option: boolSchema.default(true).describe('Reuse a commented-out `#option = ...` line (community.general 8.0).'),
      /** Among same-named sections, pick the one holding these options/values (community.general 8.6). */
      section_has_values: z
        .array(z.object({ option: z.string(), value: pyStr.optional(), values: z.array(pyStr).optional() }).strict())
        .optional()
        .describe('Among same-named sections, pick the one holding these options/values (community.general 8.6).'),
      /** Create the file when missing. */
      create: boolSchema.default(true).describe('Create the file when missing.'),
    })
    .strict(),
  { dest: 'path' },
);

export type IniFileArgs = z.output<typeof iniFileSchema>;

/**
 * Set, add or remove options and sections in an INI file, as community.general's `ini_file`.
 * @example
 * iniFile({ path: '/etc/php/8.2/fpm/php.ini', section: 'Date', option: 'date.timezone', value: 'Europe/Paris' })
 */
export const iniFile = defineEditModule({
  name: 'ini_file',
  description: 'Tweak settings in INI files',
  schema: iniFileSchema,
  encoding: 'utf8',
  edit: editIniFile,
  attrsInMsg: false,
});

/** {@link iniFile} under Ansible's module name: the same factory. */
export const ini_file = iniFile;
