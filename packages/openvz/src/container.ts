import { defineModule, sh, type Host } from '@shipshape/core';
import { containerSchema, planContainer, type ContainerArgs, type ContainerFacts } from './container-plan.js';
import { ctConfigCommand, parseCtConfig, parseVzlistResult, vzlistCommand } from './facts/vzctl.js';

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
});
