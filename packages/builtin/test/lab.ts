/** Shared helpers of the builtin integration tests: one debian and one busybox-only lab host. */
import { readFileSync, existsSync, statSync, lstatSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { playbook, run, type RunSummary, type Task, type TaskResult } from '@shipshape/core';
import { startLab, type Lab } from '@shipshape/testlab';

export const HOSTS = [
  { name: 'deb', profile: 'debian' },
  { name: 'bb', profile: 'busybox' },
] as const;

export function startBuiltinLab(id: number): Promise<Lab> {
  return startLab({ id, hosts: HOSTS.map((h) => ({ ...h })) });
}

/** Run tasks on one lab host (or all) and return the summary. */
export async function runOn(lab: Lab, host: string, tasks: readonly Task[], opts: { check?: boolean; diff?: boolean } = {}): Promise<RunSummary> {
  return run(playbook({ name: 'builtin test', hosts: host, tasks }), { inventory: lab.inventory, ...opts });
}

/** Run twice: the first must succeed, the second must succeed with zero changes. Returns the first. */
export async function runTwice(lab: Lab, host: string, tasks: readonly Task[]): Promise<RunSummary> {
  const first = await runOn(lab, host, tasks);
  expectOk(first);
  const second = await runOn(lab, host, tasks);
  expectOk(second);
  const changedAgain = second.results.filter((r) => r.result.changed).map((r) => `${r.task}: ${r.result.msg}`);
  if (changedAgain.length) throw new Error(`second run changed: ${changedAgain.join('; ')}`);
  return first;
}

export function expectOk(s: RunSummary): void {
  const bad = s.results.filter((r) => r.result.status === 'failed');
  if (!s.ok) throw new Error(`run failed: ${bad.map((r) => `${r.host} ${r.task}: ${r.result.msg}`).join('; ') || s.unreachableHosts.join(',')}`);
}

export function resultOf(s: RunSummary, task: string): TaskResult {
  const r = s.results.find((x) => x.task === task);
  if (!r) throw new Error(`no result for task ${task}`);
  return r.result;
}

/** Host filesystem access from the controller (assertions only). */
export function onHost(lab: Lab, host: string) {
  const h = lab.hosts.find((x) => x.name === host)!;
  const p = (file: string) => join(h.root, file);
  return {
    path: p,
    read: (file: string) => readFileSync(p(file)),
    text: (file: string) => readFileSync(p(file), 'utf8'),
    exists: (file: string) => existsSync(p(file)) || (() => { try { lstatSync(p(file)); return true; } catch { return false; } })(),
    mode: (file: string) => (statSync(p(file)).mode & 0o7777).toString(8).padStart(4, '0'),
    uid: (file: string) => statSync(p(file)).uid,
    link: (file: string) => readlinkSync(p(file)),
    stat: (file: string) => statSync(p(file)),
  };
}
