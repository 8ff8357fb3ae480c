/**
 * A rescue policy, written in TypeScript: the VMs the watcher knows (the management VM, the
 * watcher's own VM, managed VMs), which of them it protects, where they may run, anti-affinity,
 * detection thresholds, fencing, notification and the ordered shutdown/startup groups.
 */
import { ArgumentError } from '@shipshape/core';
import { z } from 'zod';

const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, 'a VM or host name: letters, digits, space . _ -');

const vmSchema = z.object({
  /** The VM's .vmx on a datastore every candidate host sees (`/vmfs/volumes/shared/vcenter/vcenter.vmx`). */
  vmx: z.string().regex(/^\/vmfs\/volumes\/[^/]+\/.+\.vmx$/, 'a .vmx under /vmfs/volumes/<datastore>/'),
  /** Hosts it may run on, in order of preference; @default every watched host. */
  hosts: z.array(name).min(1).optional(),
  /** The watcher fails it over when its host fails. @default false */
  protect: z.boolean().default(false),
}).strict();

export const policySchema = z.object({
  /** Inventory pattern of the ESXi hosts the watcher probes. */
  hosts: z.string().min(1),
  /** Directory of the watcher's state, its pause flag and (by default) the event log; relative to the policy file. */
  stateDir: z.string().min(1),
  /** Every VM the policy names, by its name in `vim-cmd vmsvc/getallvms`; protected ones in priority order (an anti-affinity move takes the later). */
  vms: z.record(name, vmSchema).refine((v) => Object.keys(v).length > 0, 'name at least one VM'),
  /** Groups of VMs that must never share a host (the watcher and the management VM). */
  antiAffinity: z.array(z.array(name).min(2)).default([]),
  probe: z.object({
    /** Seconds between probe rounds. */
    intervalSeconds: z.number().positive().default(10),
    /** Seconds an SSH probe may take before it counts as a miss. @default intervalSeconds */
    timeoutSeconds: z.number().positive().optional(),
    /** Consecutive missed probes before a host can be declared failed. */
    missesBeforeFailure: z.number().int().min(2).default(3),
    /** Seconds since the first miss before a host can be declared failed. */
    graceSeconds: z.number().min(0).default(30),
  }).strict().default({}),
  fencing: z.object({
    /** Fencing is never optional: no VM is started elsewhere before its host's BMC reads off. */
    required: z.literal(true).default(true),
    /** When a power off cannot be confirmed (BMC unreachable, still on): alert and do nothing else. */
    onUnconfirmed: z.literal('alert').default('alert'),
    /** Seconds `chassis power status` may take to read off after the power off. */
    offTimeoutSeconds: z.number().positive().default(60),
  }).strict().default({}),
  notify: z.object({
    /** A program and its arguments, run for each notification with the event as JSON on stdin. */
    command: z.array(z.string().min(1)).min(1).optional(),
    /** A URL the event is POSTed to as JSON. */
    webhook: z.string().url().optional(),
    /** JSON-lines log of every decision; relative to the policy file. @default <stateDir>/events.jsonl */
    eventLog: z.string().min(1).optional(),
  }).strict().default({}),
  /** Seconds a guest shutdown may take (anti-affinity moves, ordered shutdown) before power off. */
  shutdownTimeoutSeconds: z.number().int().positive().default(120),
  /** Ordered shutdown: groups of VMs, first group first; startup runs them in reverse. */
  order: z.array(z.array(name).min(1)).default([]),
}).strict();

export type RescuePolicyInput = z.input<typeof policySchema>;
export type RescuePolicy = z.output<typeof policySchema>;

/**
 * Type a policy file's default export (nothing more: validation happens when it is loaded).
 * @example
 * export default definePolicy({ hosts: 'esxi', stateDir: 'rescue-state',
 *   vms: { vcenter: { vmx: '/vmfs/volumes/shared/vcenter/vcenter.vmx', protect: true },
 *          rescue: { vmx: '/vmfs/volumes/shared/rescue/rescue.vmx', protect: true } },
 *   antiAffinity: [['vcenter', 'rescue']], order: [['rescue'], ['vcenter']] });
 */
export function definePolicy(policy: RescuePolicyInput): RescuePolicyInput {
  return policy;
}

/** Validate a policy; the error names the file, the field and the bad value. */
export function parsePolicy(raw: unknown, file: string): RescuePolicy {
  const r = policySchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const field = issue.path.join('.') || '(policy)';
    const value = issue.path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), raw);
    throw new ArgumentError(`${file}: field "${field}" ${value === undefined ? 'is missing' : `has bad value ${JSON.stringify(value)}`}: ${issue.message}`, field, value);
  }
  const p = r.data;
  const known = new Set(Object.keys(p.vms));
  const unknown = (list: readonly string[], field: string) => {
    const bad = list.find((v) => !known.has(v));
    if (bad !== undefined) throw new ArgumentError(`${file}: field "${field}" has bad value ${JSON.stringify(bad)}: not a VM of "vms" (${[...known].join(', ')})`, field, bad);
  };
  p.antiAffinity.forEach((g, i) => unknown(g, `antiAffinity.${i}`));
  p.order.forEach((g, i) => unknown(g, `order.${i}`));
  const twice = p.order.flat().find((v, i, all) => all.indexOf(v) !== i);
  if (twice !== undefined) throw new ArgumentError(`${file}: field "order" has bad value ${JSON.stringify(twice)}: a VM can be in one group only`, 'order', twice);
  return p;
}

/** The protected VMs in priority order. */
export const protectedVms = (p: RescuePolicy): string[] => Object.keys(p.vms).filter((v) => p.vms[v]!.protect);
