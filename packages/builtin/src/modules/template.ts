import * as path from 'node:path';
import { defineModule, extendVars, loadJinja, ModuleError, type Vars } from '@shipshape/core';
import { z } from 'zod';
import { gatherPut, planPut, type PutFacts } from '../internal/files.js';
import { findLocalSource, readLocal } from '../internal/local.js';
import { boolSchema, idSchema, modeSchema } from '../internal/schemas.js';

/** A template as a plain function of the vars. */
export type TemplateFn = (vars: Vars) => string;

export const templateSchema = z
  .object({
    /** Controller path of a Jinja2 template, or a function `(vars) => string`. A relative path is looked for in the playbook's `templates/`, then beside the playbook, then in the working directory. */
    src: z.union([z.string().min(1), z.custom<TemplateFn>((v) => typeof v === 'function', 'expected a path or a function')]).describe('Controller path of a Jinja2 template, or a function `(vars) => string`. A relative path is looked for in the playbook\'s `templates/`, then beside the playbook, then in the working directory.'),
    /** Remote destination path. */
    dest: z.string().min(1).describe('Remote destination path.'),
    /** Extra vars for this render, over the host's vars. */
    vars: z.record(z.unknown()).default({}).describe('Extra vars for this render, over the host\'s vars.'),
    /** Mode of the file: octal ('0644', 0o644) or symbolic ('u=rw,go=r'). */
    mode: modeSchema.optional().describe('Mode of the file: octal (\'0644\', 0o644) or symbolic (\'u=rw,go=r\').'),
    /** Owner of the file: a user name or a numeric uid. */
    owner: idSchema.optional().describe('Owner of the file: a user name or a numeric uid.'),
    /** Group of the file: a group name or a numeric gid. */
    group: idSchema.optional().describe('Group of the file: a group name or a numeric gid.'),
    /** Keep a timestamped copy of a replaced file. */
    backup: boolSchema.default(false).describe('Keep a timestamped copy of a replaced file.'),
    /** false: only create missing files, never replace. */
    force: boolSchema.default(true).describe('false: only create missing files, never replace.'),
    /** Command checking the new file before it replaces the old; `%s` is the temp path. */
    validate: z.string().optional().describe('Command checking the new file before it replaces the old; `%s` is the temp path.'),
  })
  .strict();

export type TemplateArgs = z.output<typeof templateSchema>;

/** The rendered text of a template for these vars (Ansible's template_* vars and ansible_managed included). */
export async function renderTemplate(src: string | TemplateFn, vars: Vars): Promise<string> {
  if (typeof src === 'function') {
    const out = src(vars);
    if (typeof out !== 'string') throw new ModuleError(`template function returned ${typeof out}, expected a string`);
    return out;
  }
  const text = (await readLocal(src, 'src')).toString('utf8');
  const full = path.resolve(src);
  const { renderJinja } = await loadJinja();
  // Over the task's vars, as Ansible's template action adds them; ansible_managed is Ansible's
  // default string, so ported templates render the same bytes.
  const magic = { template_path: full, template_fullpath: full, template_destpath: '', ansible_managed: 'Ansible managed' };
  return renderJinja(text, extendVars(vars, magic), src);
}

/**
 * Render a Jinja2 template (nunjucks, configured like Ansible) or a TS function of the vars, and
 * put the result on the host like copy (checksum-idempotent, diff, backup, validate).
 * @example
 * template({ src: 'templates/ntp.conf.j2', dest: '/etc/ntp.conf', vars: { servers: ['ntp1', 'ntp2'] } })
 * template({ src: (v) => `server ${v.ntp_server}\n`, dest: '/etc/ntp.conf' })
 */
export const template = defineModule({
  name: 'template',
  description: 'Render a template to a file on the host',
  schema: templateSchema,
  async gather(host, a): Promise<PutFacts & { rendered: string }> {
    const own = 'inventory_hostname' in host.vars ? {} : { inventory_hostname: host.name };
    const vars = extendVars(host.vars, { ...own, ...a.vars, template_host: host.name });
    const src = typeof a.src === 'string' ? await findLocalSource(a.src, vars, 'templates') : a.src;
    const rendered = await renderTemplate(src, vars);
    return { ...(await gatherPut(host, [{ dest: a.dest, content: rendered }])), rendered };
  },
  plan: (a, facts) => planPut(a, facts, facts.rendered),
});
