// Ordered full-system startup of the ESXi cluster (playbooks/rescue/policy.ts), the reverse of
// rescue-shutdown.ts: the managed machines, then the management VM, then the watcher's VM, each
// stage once the previous one runs; the watcher's pause is lifted last.
import { playbook } from '@shipshape/core';
import { parsePolicy, startupTasks, storePaths } from '@shipshape/rescue';
import policy from './rescue/policy.js';

const file = new URL('./rescue/policy.ts', import.meta.url).pathname;
const p = parsePolicy(policy, file);

export default playbook({ name: 'rescue: ordered startup', hosts: p.hosts, tasks: startupTasks(p, storePaths(p, file)) });
