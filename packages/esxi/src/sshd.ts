/**
 * sshd settings on ESXi 8, which manages them itself: `esxcli system ssh server config list|set`.
 * Hosts without that namespace (7.x and older), and keywords it does not manage, are left to
 * `/etc/ssh/sshd_config` plus persistConfig; the module says which lines those are.
 */
import { changes, defineModule, ModuleError, noChange, sh, type Plan } from '@shipshape/core';
import { z } from 'zod';
import { parseSshConfigList } from './parse.js';

const LINE = /^([A-Za-z][A-Za-z0-9]*)\s+(\S.*)$/;

export const sshdSettingsSchema = z
  .object({
    /** `Keyword value` sshd_config lines. */
    lines: z.array(z.string().regex(LINE, 'expected a "Keyword value" line').refine((l) => !l.includes('\n'), 'one line')).describe('`Keyword value` sshd_config lines.'),
  })
  .strict();
export type SshdSettingsArgs = z.output<typeof sshdSettingsSchema>;

export interface SshdSettingsFacts {
  readonly host: string;
  /** `esxcli system ssh server config list` by lowercase keyword; undefined when the host has no such command. */
  readonly managed?: Readonly<Record<string, string>>;
}

/** Pure: an esxcli set per managed keyword whose value differs; the other lines go to `fileLines`. */
export function planSshdSettings(args: SshdSettingsArgs, f: SshdSettingsFacts): Plan {
  const sets: { key: string; value: string }[] = [];
  const fileLines: string[] = [];
  for (const line of args.lines) {
    const [, keyword, value] = LINE.exec(line.trim())!;
    const key = keyword!.toLowerCase();
    if (!f.managed || !Object.hasOwn(f.managed, key)) fileLines.push(line.trim());
    else if (f.managed[key] !== value!.trim()) sets.push({ key, value: value!.trim() });
  }
  const result = { esxcli: f.managed !== undefined, fileLines };
  const left = fileLines.length ? `; left to sshd_config: ${fileLines.map((l) => l.split(/\s+/)[0]).join(', ')}` : '';
  if (!f.managed) return noChange(`${f.host} has no esxcli system ssh server config: every line goes to sshd_config`, result);
  if (!sets.length) return noChange(`sshd settings already set through esxcli${left}`, result);
  return changes(`esxcli sets ${sets.map((s) => s.key).join(', ')}${left}`, sets.map(({ key, value }) => ({
    kind: 'exec' as const, command: sh`esxcli system ssh server config set -k ${key} -v ${value}`,
  })), { result });
}

/**
 * Set sshd keywords through `esxcli system ssh server config set -k <keyword> -v <value>` where
 * the host has it (ESXi 8), comparing with `config list` first (a second run changes nothing).
 * Lines the host cannot take that way are returned as `data.fileLines`, for `sshd_config` and
 * persistConfig (see playbooks/esxi-harden-sshd.ts).
 * @example
 * sshdSettings({ lines: ['MaxAuthTries 3', 'ClientAliveInterval 300'] }, { register: 'sshd' })
 */
export const sshdSettings = defineModule({
  name: 'esxi.sshdSettings',
  description: 'sshd settings through esxcli system ssh server config (ESXi 8); reports the lines left to sshd_config',
  schema: sshdSettingsSchema,
  async gather(host): Promise<SshdSettingsFacts> {
    const r = await host.run(sh`esxcli system ssh server config list`, { allowFail: true });
    if (r.code !== 0) {
      if (/Unknown command or namespace/.test(r.stderr + r.stdout)) return { host: host.name };
      throw new ModuleError(`${host.name}: esxcli system ssh server config list failed (rc=${r.code}): ${(r.stderr || r.stdout).trim().slice(0, 300)}`);
    }
    return { host: host.name, managed: parseSshConfigList(r.stdout) };
  },
  plan: planSshdSettings,
});
