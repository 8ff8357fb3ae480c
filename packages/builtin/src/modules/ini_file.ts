import { z } from 'zod';
import { fileArgsShape, pyStr, withAliases, defineEditModule } from '../edit/file-module.js';
import { editIniFile } from '../edit/inifile.js';
import { boolSchema } from '../internal/schemas.js';

export const iniFileSchema = withAliases(
  z
    .object({
      ...fileArgsShape,
      /** Section name; omitted/null/empty: options before the first section. */
      section: z.string().nullable().optional(),
      /** Option name; omitted to add/remove a whole section. */
      option: z.string().optional(),
      /** Value of the option (same as values: [value]). */
      value: pyStr.optional(),
      /** Several values for one option (one line each). */
      values: z.array(pyStr).optional(),
      /** @default 'present' */
      state: z.enum(['present', 'absent']).default('present'),
      /** true: other values of the option are removed (absent: all lines of it). @default true */
      exclusive: boolSchema.default(true),
      /** Options without `=` (a bare `option` line). @default false */
      allow_no_value: boolSchema.default(false),
      /** Write `option=value` instead of `option = value`. @default false */
      no_extra_spaces: boolSchema.default(false),
      /** Leave a line alone when only spacing around `=` differs (community.general 7.5). @default false */
      ignore_spaces: boolSchema.default(false),
      /** Reuse a commented-out `#option = ...` line (community.general 8.0). @default true */
      modify_inactive_option: boolSchema.default(true),
      /** Among same-named sections, pick the one holding these options/values (community.general 8.6). */
      section_has_values: z
        .array(z.object({ option: z.string(), value: pyStr.optional(), values: z.array(pyStr).optional() }).strict())
        .optional(),
      /** Create the file when missing. @default true */
      create: boolSchema.default(true),
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
