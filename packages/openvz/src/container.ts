import { defineModule, sh, ModuleError, type Host } from '@shipshape/core';
import {
  containerSchema, createArgs, planContainer, CREATE_STEP, SET_STEP, START_STEP, type ContainerArgs, type ContainerFacts,
} from './container-plan.js';
import { createWithRepairs, repairValues, startWithRepairs } from './repair.js';
import { ctConfigCommand, parseCtConfig, parseVzlistResult, vzlistCommand } from './facts/vzctl.js';
import { noConfigChanges } from './internal/vzerror.js';

const SPLIT = '@@shipshape-openvz@@';

/** Parse the one-round-trip output of {@link gatherContainer}. */
export function parseContainerState(stdout: string, ctid: number): ContainerFacts {
  const [list = '', config = ''] = stdout.split(`${SPLIT}\n`);
  const rc = /^rc=(\d+)$/m.exec(list);
  const containers = parseVzlistResult({ code: Number(rc?.[1] ?? 0), stdout: list, stderr: list });
  return { info: containers.find((c) => c.ctid === ctid), config: parseCtConfig(config) };
}

/** vzlist line and CT config in one command. */
export async function gatherContainer(h: Host, ctid: number): Promise<ContainerFacts> {
  const r = await h.run(sh`${vzlistCommand(ctid)} 2>&1; echo "rc=$?"; echo ${SPLIT}; ${ctConfigCommand(ctid)}`);
  return parseContainerState(r.stdout, ctid);
}

/**
 * An OpenVZ container through vzctl: created from an OS template, configured (IPs, nameservers,
 * hostname, disk quota, UB limits, saved with `--save`), running, stopped or destroyed.
 * Changed only for real changes: vzctl's "No changes in CT configuration" counts as none.
 * @example
 * container({ ctid: 101, ostemplate: 'debian-12-standard_12.2-1_amd64', state: 'running',
 *   ipadd: ['10.0.0.101'], nameserver: ['10.0.0.1'], hostname: 'web1.example.com', diskspace: '10G' })
 */
export const container = defineModule({
  name: 'openvz.container',
  description: 'Create, configure, start, stop or destroy an OpenVZ container with vzctl',
  schema: containerSchema,
  gather: (h: Host, a: ContainerArgs) => gatherContainer(h, a.ctid),
  plan: planContainer,
  async apply(h, plan, a) {
    let real = 0;
    const repairs: string[] = [];
    const values = a.repair === false ? undefined : repairValues(a.repair);
    const creates = plan.changes.some((c) => c.kind === 'exec' && c.describe === CREATE_STEP);
    const hadConfig = creates && (await gatherContainer(h, a.ctid)).config !== null;
    for (const c of plan.changes) {
      if (c.kind !== 'exec') throw new ModuleError(`openvz.container: unexpected change ${c.kind}`);
      real++;
      if (values && c.describe === CREATE_STEP) await createWithRepairs(h, a.ctid, createArgs(a), values, repairs, hadConfig);
      else if (values && c.describe === START_STEP) await startWithRepairs(h, a.ctid, values, repairs);
      else if (c.describe === SET_STEP && noConfigChanges((await h.run(c.command)).stdout)) real--;
      else await h.run(c.command);
    }
    if (real === 0) return { changed: false, msg: `${plan.msg} (vzctl: no changes in CT configuration)` };
    return repairs.length > 0 ? { msg: `${plan.msg}; repaired: ${repairs.join('; ')}`, data: { repairs } } : undefined;
  },
});
