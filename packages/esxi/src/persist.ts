import { createHash } from 'node:crypto';
import { changes, CommandError, defineModule, ModuleError, sh, type Host, type Plan, type TaskOptions, type TaskResult } from '@shipshape/core';
import { z } from 'zod';
import { stateFiles } from './bundle.js';
import { bootbankFact } from './facts.js';
import { parseAutoBackup } from './parse.js';

export const persistConfigSchema = z.object({}).strict();
const AUTO_BACKUP = sh`/sbin/auto-backup.sh`;
const STATE = '/bootbank/state.tgz';

/** Pure: run auto-backup.sh, or fail on a PXE-booted host where nothing can be persisted. */
export function planPersistConfig(_args: unknown, facts: { host: string; bootbank: boolean }): Plan {
  if (!facts.bootbank) {
    throw new ModuleError(
      `${facts.host}: cannot persist configuration: the host has no /bootbank (PXE-booted, stateless); ` +
        '/etc changes on it last only until the next reboot',
    );
  }
  return changes('save /etc to /bootbank/state.tgz', [{ kind: 'call', describe: AUTO_BACKUP.display, run: autoBackup }]);
}

async function readStateTgz(host: Host): Promise<Buffer | undefined> {
  const r = await host.run(sh`cat ${STATE}`, { allowFail: true });
  return r.code === 0 ? r.stdoutBytes : undefined;
}

/**
 * Pure: the files whose current bytes `state` (a state.tgz) does not hold. `current` maps each
 * path to check (`/etc/...`) to its bytes on the host (undefined: the file is gone, not checked).
 */
export function unsavedFiles(state: Buffer, current: ReadonlyMap<string, Buffer | undefined>): string[] {
  const saved = stateFiles(state);
  if (saved === 'encrypted') throw new ModuleError('state.tgz is encrypted');
  return [...current].filter(([p, bytes]) => bytes !== undefined && !saved.get(p.slice(1))?.equals(bytes)).map(([p]) => p).sort();
}

/**
 * After auto-backup.sh (which exits 0 even when saving failed): compare the edited files, and
 * every file state.tgz holds, with their bytes on the host. Returns a note when the state is
 * encrypted and could only be checked for having been rewritten.
 */
async function verifySaved(host: Host, before: Buffer | undefined, reported: readonly string[], saved: boolean): Promise<string | undefined> {
  const failed = (what: string) =>
    new ModuleError(`${host.name}: /sbin/auto-backup.sh exited 0 but ${what}: the save failed (it logs "Auto-Backup failed" to syslog)`);
  const after = await readStateTgz(host);
  if (!after) throw failed(`${STATE} cannot be read`);
  let names: string[];
  try {
    const inside = stateFiles(after);
    if (inside === 'encrypted') {
      const digest = (b?: Buffer) => b && createHash('sha256').update(b).digest('hex');
      if (saved && digest(before) === digest(after)) throw failed(`${STATE} was not rewritten`);
      return 'configuration encrypted (local.tgz.ve): checked that state.tgz was rewritten, not its contents';
    }
    names = [...inside.keys()].map((n) => `/${n}`);
  } catch (e) {
    if (e instanceof ModuleError) throw e;
    throw failed(`${STATE} is not a readable state archive (${(e as Error).message})`);
  }
  const current = new Map<string, Buffer | undefined>();
  for (const p of new Set([...reported, ...names])) {
    const r = await host.run(sh`cat -- ${p}`, { allowFail: true });
    current.set(p, r.code === 0 ? r.stdoutBytes : undefined);
  }
  const unsaved = unsavedFiles(after, current);
  if (unsaved.length) throw failed(`${STATE} does not hold the current ${unsaved.join(', ')}`);
  return undefined;
}

/** Run auto-backup.sh and verify by content what it saved: changed when it saved something. */
async function autoBackup(host: Host): Promise<Partial<TaskResult>> {
  const before = await readStateTgz(host);
  const r = await host.run(AUTO_BACKUP, { allowFail: true });
  if (r.code !== 0) throw new CommandError(host.name, AUTO_BACKUP.display, r.code, r.stdout, r.stderr);
  const out = parseAutoBackup(r.stdout);
  const note = await verifySaved(host, before, out.files, out.saved);
  const suffix = note ? ` (${note})` : '';
  if (!out.saved) return { changed: false, msg: `nothing differed from /bootbank/state.tgz${suffix}`, stdout: r.stdout };
  const files = out.files.length ? `: ${out.files.join(', ')}` : '';
  return { changed: true, msg: `saved current state in /bootbank${files}${suffix}`, stdout: r.stdout };
}

const module = defineModule({
  name: 'esxi.persistConfig',
  description: 'Save pending /etc changes into /bootbank/state.tgz (auto-backup.sh), verified by content',
  schema: persistConfigSchema,
  // auto-backup.sh alone knows whether anything differs: check mode cannot predict it.
  supportsCheck: false,
  gather: async (host) => ({ host: host.name, bootbank: await host.fact(bootbankFact, undefined, { fresh: true }) }),
  plan: planPersistConfig,
});

/**
 * Save pending `/etc` changes to `/bootbank/state.tgz` with `/sbin/auto-backup.sh`, so they
 * survive a reboot, then check by content that they got there: auto-backup.sh exits 0 even when
 * saving failed, so the module reads state.tgz back and compares each file it reported (and each
 * file the archive holds) with the host's bytes, failing with the files that were not saved. On an
 * encrypted configuration (ESXi 7.0 U2+ with a TPM: `local.tgz.ve`) the contents cannot be read;
 * it then checks that state.tgz was rewritten and says so. `changed` when the tool saved
 * something, `ok` when nothing differed; fails on a PXE-booted host (no `/bootbank`). Meant as
 * the handler every ESXi edit notifies.
 * @example
 * playbook({ name: 'sshd', hosts: 'esxi', handlers: { persist: persistConfig() },
 *   tasks: [lineinfile({ path: '/etc/ssh/sshd_config', line: 'PasswordAuthentication no' }, { notify: 'persist' })] })
 */
export const persistConfig = Object.assign(
  (args: z.input<typeof persistConfigSchema> = {}, options?: TaskOptions) => module(args, options),
  { module: module.module },
);
