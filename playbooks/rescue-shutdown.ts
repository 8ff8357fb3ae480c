// Ordered full-system shutdown of the ESXi cluster (playbooks/rescue/policy.ts): the rescue watcher
// is paused and its VM stops first, then the management VM (guest shutdown), then the managed
// machines; each stage starts once the previous one is off on every host.
import { playbook } from '@shipshape/core';
import { parsePolicy, shutdownTasks, storePaths } from '@shipshape/rescue';
import policy from './rescue/policy.js';

const file = new URL('./rescue/policy.ts', import.meta.url).pathname;
const p = parsePolicy(policy, file);

export default playbook({ name: 'rescue: ordered shutdown', hosts: p.hosts, tasks: shutdownTasks(p, storePaths(p, file)) });
