/**
 * Harden sshd on every ESXi host and make the change survive reboots: `PasswordAuthentication no`
 * plus any `Keyword value` lines from the var `sshd_lines`. Where the host manages sshd itself
 * (ESXi 8: `esxcli system ssh server config`), the keywords it knows are set through esxcli
 * (persisted by the host); every other line replaces the line of the same keyword in
 * /etc/ssh/sshd_config, and the `persist` handler saves /etc into /bootbank/state.tgz once per host.
 *
 *   shipshape run playbooks/esxi-harden-sshd.ts -i inventory/esxi.ini -e '{"sshd_lines":["ClientAliveInterval 300"]}'
 */
import { lineinfile } from '@shipshape/builtin';
import { ArgumentError, playbook, type TaskContext } from '@shipshape/core';
import { persistConfig, sshdSettings } from '@shipshape/esxi';

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

/** The lines sshdSettings left to sshd_config (registered as `sshd_esxcli`). */
export function fileLines(vars: TaskContext['vars']): string[] {
  const data = (vars.sshd_esxcli as { data?: { fileLines?: unknown } } | undefined)?.data;
  return Array.isArray(data?.fileLines) ? data.fileLines.map(String) : [];
}

export default playbook({
  name: 'Harden sshd on ESXi',
  hosts: 'esxi',
  handlers: { persist: persistConfig() },
  tasks: [
    sshdSettings((ctx) => ({ lines: ['PasswordAuthentication no', ...sshdLines(ctx.vars)] }), {
      name: 'sshd: esxcli system ssh server config',
      register: 'sshd_esxcli',
    }),
    lineinfile((ctx) => sshdLine(String(ctx.item)), {
      name: 'sshd: sshd_config lines',
      loop: (ctx) => fileLines(ctx.vars),
      notify: 'persist',
    }),
  ],
});
