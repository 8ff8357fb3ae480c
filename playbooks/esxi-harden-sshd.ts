/**
 * Harden sshd on every ESXi host and make the change survive reboots: `PasswordAuthentication no`
 * plus any `Keyword value` lines from the var `sshd_lines` (each replaces the line that sets the
 * same keyword), then the `persist` handler saves /etc into /bootbank/state.tgz once per host.
 *
 *   shipshape run playbooks/esxi-harden-sshd.ts -i inventory/esxi.ini -e '{"sshd_lines":["ClientAliveInterval 300"]}'
 */
import { lineinfile } from '@shipshape/builtin';
import { ArgumentError, playbook, type TaskContext } from '@shipshape/core';
import { persistConfig } from '@shipshape/esxi';

const SSHD_CONFIG = '/etc/ssh/sshd_config';
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The `sshd_lines` var: a list of `Keyword value` lines. */
export function sshdLines(vars: TaskContext['vars']): string[] {
  const raw = vars.sshd_lines ?? [];
  if (!Array.isArray(raw)) throw new ArgumentError(`var sshd_lines must be a list of "Keyword value" lines, got ${JSON.stringify(raw)}`, 'sshd_lines', raw);
  return raw.map((line, i) => {
    if (typeof line !== 'string' || !/^[A-Za-z][A-Za-z0-9]*\s+\S/.test(line) || line.includes('\n')) {
      throw new ArgumentError(`var sshd_lines[${i}]: expected a "Keyword value" line, got ${JSON.stringify(line)}`, `sshd_lines[${i}]`, line);
    }
    return line.trim();
  });
}

/** lineinfile args that set one sshd keyword (commented-out defaults count as the same line). */
export function sshdLine(line: string) {
  const keyword = line.split(/\s+/)[0]!;
  return { path: SSHD_CONFIG, regexp: `^#?\\s*${escapeRe(keyword)}\\s`, line };
}

export default playbook({
  name: 'Harden sshd on ESXi',
  hosts: 'esxi',
  handlers: { persist: persistConfig() },
  tasks: [
    lineinfile(sshdLine('PasswordAuthentication no'), { name: 'sshd: PasswordAuthentication no', notify: 'persist' }),
    lineinfile((ctx) => sshdLine(String(ctx.item)), {
      name: 'sshd: lines from vars',
      loop: (ctx) => sshdLines(ctx.vars),
      notify: 'persist',
    }),
  ],
});
