/** Shared helpers of the ESXi integration tests (lab ids 10-19). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import { run, type PlaybookDef, type RunSummary, type Vars } from '@shipshape/core';
import { startLab, type Lab } from '@shipshape/testlab';

export function startEsxiLab(id: number, names: readonly string[]): Promise<Lab> {
  return startLab({ id, hosts: names.map((name) => ({ name, profile: 'esxi' })) });
}

/** Run a playbook over the lab with the plain runner (it re-opens connections after a reboot). */
export function runPlaybook(lab: Lab, pb: PlaybookDef, extraVars?: Vars): Promise<RunSummary> {
  return run(pb, { inventory: lab.inventory, extraVars });
}

/** Shell text run as root inside a host (no SSH); fails the test on a non-zero exit. */
export async function sh(lab: Lab, host: string, text: string): Promise<string> {
  const r = await lab.exec(host, text);
  if (r.code !== 0) throw new Error(`${host}: ${text}: rc=${r.code} ${r.stderr}`);
  return r.stdout;
}

/** Read a file of a lab host from the controller. */
export function hostFile(lab: Lab, host: string, file: string): string {
  return readFileSync(join(lab.hosts.find((h) => h.name === host)!.root, file), 'utf8');
}

/** Turn a lab ESXi host into a PXE-booted one: no /bootbank (then reboot). */
export async function makePxe(lab: Lab, host: string): Promise<void> {
  await sh(lab, host, '/bin/sh /usr/lib/vmware/lab/setup.sh pxe');
  await lab.rebootHost(host);
}

export function changedTasks(s: RunSummary): string[] {
  return s.results.filter((r) => r.result.changed).map((r) => `${r.host} ${r.task}: ${r.result.msg}`);
}

export function expectAllOk(s: RunSummary): void {
  const bad = s.results.filter((r) => r.result.status === 'failed').map((r) => `${r.host} ${r.task}: ${r.result.msg}`);
  expect(bad).toEqual([]);
  expect(s.unreachableHosts).toEqual([]);
  expect(s.ok).toBe(true);
}
