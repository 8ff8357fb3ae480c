/**
 * Compile-time checks of the public types (run by `npm run typecheck`): each `@ts-expect-error` line
 * must fail to compile, or the type check fails. Nothing calls this.
 */
import { guest, pair, vif } from './index.js';

const net = { prefix: '10.0.0', netmask: '255.255.255.0', gateway: '10.0.0.1', bridge: 'xenbr0' };

export function apiTypeChecks(): unknown[] {
  return [
    guest({ hostname: 'a', ips: ['10.0.0.1'], state: 'running' }),
    // @ts-expect-error state is one of present|running|stopped|absent
    guest({ hostname: 'a', ips: ['10.0.0.1'], state: 'started' }),
    // @ts-expect-error vcpus is a number
    guest({ hostname: 'a', ips: ['10.0.0.1'], vcpus: '2' }),
    // @ts-expect-error ip is required
    vif({ guest: 'a' }),
    // @ts-expect-error backupHost is required
    pair({ name: 'a', domain: 'example.org', size: { memory: '1G', size: '1G', swap: '1G', vcpus: 1 }, hosting: net, backup: net }),
  ];
}
