import { changes, CommandError, defineModule, ModuleError, sh, type Plan, type TaskOptions } from '@shipshape/core';
import { z } from 'zod';
import { bootbankFact } from './facts.js';
import { freshFact } from './internal/remote.js';
import { parseAutoBackup } from './parse.js';

export const persistConfigSchema = z.object({}).strict();
const AUTO_BACKUP = sh`/sbin/auto-backup.sh`;

/** Pure: run auto-backup.sh, or fail on a PXE-booted host where nothing can be persisted. */
export function planPersistConfig(_args: unknown, facts: { host: string; bootbank: boolean }): Plan {
  if (!facts.bootbank) {
    throw new ModuleError(
      `${facts.host}: cannot persist configuration: the host has no /bootbank (PXE-booted, stateless); ` +
        '/etc changes on it last only until the next reboot',
    );
  }
  return changes('save /etc to /bootbank/state.tgz', [{ kind: 'exec', command: AUTO_BACKUP }]);
}

const module = defineModule({
  name: 'esxi.persistConfig',
  description: 'Save pending /etc changes into /bootbank/state.tgz (auto-backup.sh)',
  schema: persistConfigSchema,
  // auto-backup.sh alone knows whether anything differs: check mode cannot predict it.
  supportsCheck: false,
  gather: async (host) => ({ host: host.name, bootbank: await freshFact(host, bootbankFact) }),
  plan: planPersistConfig,
  async apply(host) {
    const r = await host.run(AUTO_BACKUP, { allowFail: true });
    if (r.code !== 0) throw new CommandError(host.name, AUTO_BACKUP.display, r.code, r.stdout, r.stderr);
    const out = parseAutoBackup(r.stdout);
    if (!out.saved) return { changed: false, msg: 'nothing differed from /bootbank/state.tgz', stdout: r.stdout };
    const files = out.files.length ? `: ${out.files.join(', ')}` : '';
    return { changed: true, msg: `saved current state in /bootbank${files}`, stdout: r.stdout };
  },
});

/**
 * Save pending `/etc` changes to `/bootbank/state.tgz` with `/sbin/auto-backup.sh`, so they
 * survive a reboot. `changed` when the tool saved something, `ok` when nothing differed; fails
 * on a PXE-booted host (no `/bootbank`). Meant as the handler every ESXi edit notifies.
 * @example
 * playbook({ name: 'sshd', hosts: 'esxi', handlers: { persist: persistConfig() },
 *   tasks: [lineinfile({ path: '/etc/ssh/sshd_config', line: 'PasswordAuthentication no' }, { notify: 'persist' })] })
 */
export const persistConfig = Object.assign(
  (args: z.input<typeof persistConfigSchema> = {}, options?: TaskOptions) => module(args, options),
  { module: module.module },
);
