/** Shared helpers of the Xen integration tests (lab ids 30-39). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import { maskDeep, quote, run, type PlaybookDef, type RunEvent, type RunSummary } from '@shipshape/core';
import { startLab, type Lab } from '@shipshape/testlab';

export function startXenLab(id: number, names: readonly string[]): Promise<Lab> {
  return startLab({ id, hosts: names.map((name) => ({ name, profile: 'xen' })) });
}

/**
 * Run a playbook over the lab; every event is kept, and the summary as the CLI's --json shows it (masked: the
 * summary itself holds Secrets, which a program may reveal on purpose).
 */
export async function runPlaybook(lab: Lab, pb: PlaybookDef, events: string[] = [], check = false): Promise<RunSummary> {
  const s = await run(pb, { inventory: lab.inventory, check, onEvent: (e: RunEvent) => events.push(JSON.stringify(e)) });
  events.push(JSON.stringify(maskDeep(s)));
  return s;
}

/** Shell text run as root inside a host (no SSH); fails the test on a non-zero exit. */
export async function sh(lab: Lab, host: string, text: string): Promise<string> {
  const r = await lab.exec(host, text);
  if (r.code !== 0) throw new Error(`${host}: ${text}: rc=${r.code} ${r.stderr}`);
  return r.stdout;
}

/** Path of a file of a lab host, as seen from the controller. */
export function hostPath(lab: Lab, host: string, file: string): string {
  return join(lab.hosts.find((h) => h.name === host)!.root, file);
}

export function hostFile(lab: Lab, host: string, file: string): string {
  return readFileSync(hostPath(lab, host, file), 'utf8');
}

/**
 * Shell text run as root on a dom0 with `$G` set to the guest's root filesystem: the running domain's
 * mount (lab profile README), else its root disk (cfg, xvda2) loop-mounted read-only for the call.
 */
export async function inGuest(lab: Lab, host: string, guest: string, text: string): Promise<string> {
  const script = `set -e; g=$1; run=/var/lib/xen-sim/run/mnt/$g
if [ -f "/var/lib/xen-sim/run/domains/$g" ]; then G=$run; else
  disk=$(sed -n "s/^ *'\\(file\\|phy\\):\\([^,]*\\),xvda2,.*/\\2/p" "/etc/xen/$g.cfg")
  G=$(mktemp -d); mount -o loop,ro "$disk" "$G"; trap 'umount "$G"; rmdir "$G"' EXIT
fi
export G
sh -c "$2"`;
  return sh(lab, host, `bash -c ${quote(script)} guest ${quote(guest)} ${quote(text)}`);
}

/** A file of a guest's root filesystem (see inGuest). */
export const guestFile = (lab: Lab, host: string, guest: string, file: string) => inGuest(lab, host, guest, `cat "$G"/${quote(file.replace(/^\//, ''))}`);

export function changedTasks(s: RunSummary): string[] {
  return s.results.filter((r) => r.result.changed).map((r) => `${r.host} ${r.task}: ${r.result.msg}`);
}

export function failedTasks(s: RunSummary): string[] {
  return s.results.filter((r) => r.result.status === 'failed').map((r) => `${r.host} ${r.task}: ${r.result.msg}${r.result.stderr ? ` (stderr: ${r.result.stderr.trim().split('\n').slice(-5).join(' | ')})` : ''}`);
}

export function expectAllOk(s: RunSummary): void {
  expect(failedTasks(s)).toEqual([]);
  expect(s.ok).toBe(true);
}
