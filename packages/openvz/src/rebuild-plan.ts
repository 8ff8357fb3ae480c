/** Pure half of {@link templateRebuild}: arguments, facts and the decision whether to rebuild. */
import { changes, noChange, ModuleError, type Host, type Plan, type Task, type TaskResult } from '@shipshape/core';
import { z } from 'zod';
import { parseTemplateCache, TEMPLATE_CACHE_LISTING, type TemplateCache, type TemplateInfo } from './facts/vzctl.js';
import { parseTemplateName, templateBaseName, TemplateNameError } from './names.js';
import { repairFields } from './repair.js';
import { OS_FAMILIES } from './os-family.js';

const stringList = z.union([z.string().min(1).transform((s) => [s]), z.array(z.string().min(1)).min(1)]);
type CustomizeFn = (ct: Host) => Promise<void>;
const taskSchema = z.custom<Task>((v) => !!v && typeof v === 'object' && 'kind' in v, 'expected a task');

export const templateRebuildSchema = z
  .object({
    /** Source template in the cache (with or without `.tar.*`); only ever read. */
    from: z.string().min(1).describe('Source template in the cache (with or without `.tar.*`); only ever read.'),
    /** New template file name; `.tar.gz` is added when no extension is given. */
    to: z.string().superRefine((v, ctx) => {
      try {
        parseTemplateName(v);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: e instanceof TemplateNameError ? e.message : String(e) });
      }
    }).describe('New template file name; `.tar.gz` is added when no extension is given.'),
    /** Temporary container id; must be free. */
    ctid: z.number().int().min(101).max(2147483644).describe('Temporary container id; must be free.'),
    /** IP address for the temporary container (for the package update). */
    ip: z.string().regex(/^[0-9a-fA-F.:]+$/, 'expected an IP address').optional().describe('IP address for the temporary container (for the package update).'),
    /** Nameservers for the temporary container. @default ['inherit'] (the node's) */
    nameserver: stringList.default(['inherit']).describe('Nameservers for the temporary container.'),
    /** Host name of the temporary container. */
    hostname: z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, 'expected a host name').optional().describe('Host name of the temporary container.'),
    /** Update packages with the container's own package manager. @default true */
    update: z.boolean().default(true).describe('Update packages with the container\'s own package manager.'),
    /**
     * Run inside the container: tasks, a callback given the container as a Host, or tasks per OS
     * family (`{ debian: [...], rhel: [...] }`), picked by the container's os-release (or release
     * file); a family without an entry fails the rebuild before anything is customised.
     */
    customize: z
      .union([
        z.custom<CustomizeFn>((v) => typeof v === 'function', 'expected a function'),
        z.array(taskSchema),
        z.record(z.enum(OS_FAMILIES), z.array(taskSchema)).refine((r) => Object.keys(r).length > 0, 'give tasks for at least one OS family'),
      ])
      .optional()
      .describe('Run inside the container: tasks, a callback given the container as a Host, or tasks per OS family (`{ debian: [...], rhel: [...] }`), picked by the container\'s os-release (or release file); a family without an entry fails the rebuild before anything is customised.'),
    /** Rebuild even when the target template exists. @default false */
    force: z.boolean().default(false).describe('Rebuild even when the target template exists.'),
    /**
     * Layout of the temporary container (`vzctl create --layout`): vzctl 4.x defaults to ploop,
     * whose private area is an image, so `simfs` (a plain tree) is asked for; with `ploop` the
     * image is mounted and its tree archived. vzctl 3.x has no `--layout` (simfs only). @default 'simfs'
     */
    layout: z.enum(['simfs', 'ploop']).default('simfs').describe('Layout of the temporary container (`vzctl create --layout`): vzctl 4.x defaults to ploop, whose private area is an image, so `simfs` (a plain tree) is asked for; with `ploop` the image is mounted and its tree archived. vzctl 3.x has no `--layout` (simfs only).'),
    /** Sample config for the temporary container (`vzctl create --config`). */
    config: z.string().regex(/^[A-Za-z0-9._-]+$/).optional().describe('Sample config for the temporary container (`vzctl create --config`).'),
    ...repairFields,
  })
  .strict();

export type TemplateRebuildArgs = z.output<typeof templateRebuildSchema>;

export interface TemplateRebuildFacts {
  readonly cache: TemplateCache;
  /** vzlist lists the CTID, or its config file exists. */
  readonly ctidInUse: boolean;
}

export const REBUILD_SPLIT = '@@shipshape-openvz@@';

/** Parse the one-round-trip gather output: cache listing, split line, `in-use` or `free`. */
export function parseRebuildFacts(stdout: string): TemplateRebuildFacts {
  const [listing = '', ct = ''] = stdout.split(`${REBUILD_SPLIT}\n`);
  return { cache: parseTemplateCache(listing), ctidInUse: ct.trim() === 'in-use' };
}
export { TEMPLATE_CACHE_LISTING };

/** Target file name (with extension). */
export const targetFile = (to: string): string => (parseTemplateName(to).ext ? to : `${to}.tar.gz`);

export interface RebuildJob {
  readonly dir: string;
  readonly source: TemplateInfo;
  readonly target: string;
}

/** Pure: nothing to do (target exists, no force), or one call that performs the rebuild. */
export function planRebuild(
  a: TemplateRebuildArgs, f: TemplateRebuildFacts, run: (job: RebuildJob, msg: string) => (h: Host) => Promise<Partial<TaskResult>>,
): Plan {
  const target = targetFile(a.to);
  const { dir, templates } = f.cache;
  if (!a.force && templates.some((t) => t.file === target)) return noChange(`template ${target} exists in ${dir}`, { template: `${dir}/${target}` });
  const source = templates.find((t) => t.name === templateBaseName(a.from));
  if (!source) {
    throw new ModuleError(`source template ${a.from} not found in ${dir} (present: ${templates.map((t) => t.file).join(', ') || 'none'})`);
  }
  if (source.name === templateBaseName(target)) throw new ModuleError(`"to" (${target}) must differ from "from" (${source.file}): the old template is never overwritten`);
  if (f.ctidInUse) throw new ModuleError(`CTID ${a.ctid} is in use (container or /etc/vz/conf/${a.ctid}.conf exists); give a free temporary ctid`);
  const job = { dir, source, target };
  const msg = `rebuild ${target} from ${source.file} in temporary CT ${a.ctid}`;
  return changes(msg, [{ kind: 'call', describe: `vzctl create/update/customize/tar CT ${a.ctid} → ${dir}/${target}`, run: run(job, msg) }]);
}
