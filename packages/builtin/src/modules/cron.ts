import * as path from 'node:path';
import { cmd, changes, defineModule, noChange, ModuleError, type Change, type Plan } from '@shipshape/core';
import { readFileCommand } from '@shipshape/core/module-kit';
import { z } from 'zod';
import { cronJobLine, crontabLines, findJob, jobNames, renderCrontab, updateJob } from '../internal/crontab.js';
import { boolSchema } from '../internal/schemas.js';

const field = z.union([z.string().min(1), z.number().int()]).transform(String).default('*');

export const cronSchema = z
  .object({
    /** Entry name: the `#Ansible: <name>` comment above the job (or the variable name with env). */
    name: z.string().min(1).describe('Entry name: the `#Ansible: <name>` comment above the job (or the variable name with env).'),
    /** The command (or the variable's value with env). */
    job: z.string().optional().describe('The command (or the variable\'s value with env).'),
    /** present: the entry exists as given; absent: it is removed. @default 'present' */
    state: z.enum(['present', 'absent']).default('present').describe('present: the entry exists as given; absent: it is removed.'),
    /** Whose crontab; required with cron_file. */
    user: z.string().min(1).optional().describe('Whose crontab; required with cron_file.'),
    /** A file in /etc/cron.d (relative name) or an absolute path, instead of a user crontab. */
    cron_file: z.string().min(1).optional().describe('A file in /etc/cron.d (relative name) or an absolute path, instead of a user crontab.'),
    /** Minute field (0-59, *, * /5, ...). */
    minute: field.describe('Minute field (0-59, *, */5, ...).'),
    /** Hour field (0-23, *, ...). */
    hour: field.describe('Hour field (0-23, *, ...).'),
    /** Day of the month field (1-31, *, ...). */
    day: field.describe('Day of the month field (1-31, *, ...).'),
    /** Month field (1-12, *, ...). */
    month: field.describe('Month field (1-12, *, ...).'),
    /** Day of the week field (0-6 for Sunday-Saturday, *, ...). */
    weekday: field.describe('Day of the week field (0-6 for Sunday-Saturday, *, ...).'),
    /** Run at this @-time instead of the five time fields. */
    special_time: z.enum(['annually', 'daily', 'hourly', 'monthly', 'reboot', 'weekly', 'yearly']).optional().describe('Run at this @-time instead of the five time fields.'),
    /** Keep the entry but comment it out. */
    disabled: boolSchema.default(false).describe('Keep the entry but comment it out.'),
    /** Manage a `NAME="value"` variable instead of a job. */
    env: boolSchema.default(false).describe('Manage a `NAME="value"` variable instead of a job.'),
    /** With env: put the variable after this one. */
    insertafter: z.string().optional().describe('With env: put the variable after this one.'),
    /** With env: put the variable before this one. */
    insertbefore: z.string().optional().describe('With env: put the variable before this one.'),
    /** Keep a copy of a changed cron_file. */
    backup: boolSchema.default(false).describe('Keep a copy of a changed cron_file.'),
  })
  .strict();

export type CronArgs = z.output<typeof cronSchema>;

export interface CronFacts {
  /** Current text of the crontab or cron file ('' when there is none). */
  readonly existing: string;
  /** A cron_file exists. */
  readonly fileExists?: boolean;
}

const crontabCommand = (user?: string) => (user ? cmd('crontab', '-l', '-u', user) : cmd('crontab', '-l'));

export function cronFilePath(cronFile: string): string {
  return path.posix.isAbsolute(cronFile) ? cronFile : path.posix.join('/etc/cron.d', cronFile);
}

function planEnv(a: CronArgs, lines: string[]): boolean {
  if (a.name.includes(' ')) throw new ModuleError('Invalid name for environment variable');
  const decl = `${a.name}="${a.job}"`;
  const idx = lines.findIndex((l) => l.startsWith(`${a.name}=`));
  const replaceAll = (value: string | null) => {
    const kept = lines.filter((l) => !l.startsWith(`${a.name}=`));
    const at = lines.findIndex((l) => l.startsWith(`${a.name}=`));
    if (value !== null) kept.splice(at, 0, value);
    lines.splice(0, lines.length, ...kept);
  };
  if (a.state === 'absent') {
    if (idx < 0) return false;
    replaceAll(null);
    return true;
  }
  if (idx >= 0) {
    if (lines[idx] === decl) return false;
    replaceAll(decl);
    return true;
  }
  const other = a.insertafter ?? a.insertbefore;
  if (other === undefined) lines.unshift(decl);
  else {
    const at = lines.findIndex((l) => l.startsWith(`${other}=`));
    if (at < 0) throw new ModuleError(`Variable named '${other}' not found.`);
    lines.splice(a.insertafter !== undefined ? at + 1 : at, 0, decl);
  }
  return true;
}

/** Pure: the new crontab text and how to install it, following Ansible's cron module step by step. */
export function planCron(a: CronArgs, f: CronFacts): Plan {
  const file = a.cron_file ? cronFilePath(a.cron_file) : undefined;
  if (file === '/etc/crontab') throw new ModuleError('Will not manage /etc/crontab via cron_file, see documentation.');
  if (a.special_time && [a.minute, a.hour, a.day, a.month, a.weekday].some((x) => x !== '*')) {
    throw new ModuleError('You must specify time and date fields or special time.');
  }
  const install = a.state === 'present';
  if (install && file && !a.user) throw new ModuleError('To use cron_file=... parameter you must specify user=... as well');
  if (install && a.job === undefined) throw new ModuleError("You must specify 'job' to install a new cron job or variable");
  if ((a.insertafter || a.insertbefore) && !a.env && install) throw new ModuleError('Insertafter and insertbefore parameters are valid only with env=yes');

  let lines = crontabLines(f.existing, !file);
  const header = file ?? (a.user ? `crontab for user "${a.user}"` : 'crontab');
  let changed = false;
  if (a.env) changed = planEnv(a, lines);
  else if (install) {
    const job = cronJobLine({ ...a, job: a.job!, user: file ? a.user : undefined });
    const old = findJob(lines, a.name, job);
    if (old.length === 0) {
      lines.push(`#Ansible: ${a.name}`, job);
      changed = true;
    } else if (old[1] !== job || old.length > 2) {
      lines = updateJob(lines, a.name, job);
      changed = true;
    }
  } else if (findJob(lines, a.name).length > 0) {
    lines = updateJob(lines, a.name);
    changed = true;
    if (file && lines.every((l) => !l.trim())) {
      const list: Change[] = f.fileExists ? [{ kind: 'exec', command: cmd('rm', '-f', file) }] : [];
      if (!list.length) return noChange(`${file} is already gone`, { cron_file: a.cron_file });
      return changes(`removed ${file}`, list, { diff: [{ path: file, before: f.existing, after: '' }], result: { cron_file: a.cron_file } });
    }
  }
  if (!changed && f.existing !== '' && !/[\r\n]$/.test(f.existing)) changed = true;
  const result = { jobs: jobNames(lines), ...(a.cron_file ? { cron_file: a.cron_file } : {}) };
  if (!changed) return noChange(`${header}: entry "${a.name}" is ${a.state}`, result);
  const text = renderCrontab(lines);
  const install_: Change = file
    ? { kind: 'write', path: file, content: text, ...(f.fileExists ? {} : { mode: '0644' }), ...(a.backup && f.fileExists ? { backup: true } : {}) }
    : { kind: 'exec', command: a.user ? cmd('crontab', '-u', a.user, '-') : cmd('crontab', '-'), stdin: text, describe: `install ${header}` };
  return changes(`${header}: entry "${a.name}" ${a.state === 'present' ? 'set' : 'removed'}`, [install_], {
    diff: [{ path: header, before: f.existing, after: text }],
    result,
  });
}

/**
 * Manage named cron entries (`#Ansible: <name>` above the job, byte-compatible with Ansible's cron
 * module) in a user's crontab (`crontab -l` / `crontab -`) or in a cron_file under /etc/cron.d.
 * @example
 * cron({ name: 'nightly backup', minute: 30, hour: 2, job: '/usr/local/bin/backup.sh', user: 'root' })
 */
export const cron = defineModule({
  name: 'cron',
  description: 'Manage cron entries',
  schema: cronSchema,
  prefetch: (a) => [a.cron_file ? readFileCommand(cronFilePath(a.cron_file)) : crontabCommand(a.user)],
  async gather(host, a): Promise<CronFacts> {
    if (a.cron_file) {
      const s = await host.readFile(cronFilePath(a.cron_file));
      return { existing: s.content?.toString('utf8') ?? '', fileExists: s.exists };
    }
    const r = await host.run(crontabCommand(a.user), { allowFail: true });
    if (r.code !== 0 && r.code !== 1) throw new ModuleError(`Unable to read crontab: ${r.stderr.trim()}`);
    return { existing: r.code === 0 ? r.stdout : '' };
  },
  plan: planCron,
});
