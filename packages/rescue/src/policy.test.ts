// A policy's errors name the file, the field and the bad value.
import { describe, expect, it } from '@jest/globals';
import { parsePolicy } from './policy.js';

const ok = { hosts: 'esxi', stateDir: 's', vms: { mgmt: { vmx: '/vmfs/volumes/shared/mgmt/mgmt.vmx', protect: true } } };

describe('parsePolicy', () => {
  it('fills the defaults', () => {
    expect(parsePolicy(ok, 'p.ts')).toMatchObject({ probe: { intervalSeconds: 10, missesBeforeFailure: 3, graceSeconds: 30 }, fencing: { required: true, onUnconfirmed: 'alert' }, antiAffinity: [], order: [] });
  });
  it('names the file, the field and the value', () => {
    expect(() => parsePolicy({ ...ok, probe: { missesBeforeFailure: 1 } }, 'p.ts')).toThrow('p.ts: field "probe.missesBeforeFailure" has bad value 1');
    expect(() => parsePolicy({ ...ok, fencing: { required: false } }, 'p.ts')).toThrow('p.ts: field "fencing.required" has bad value false');
    expect(() => parsePolicy({ ...ok, vms: { mgmt: { vmx: '/tmp/x.vmx' } } }, 'p.ts')).toThrow('p.ts: field "vms.mgmt.vmx" has bad value "/tmp/x.vmx"');
    expect(() => parsePolicy({ ...ok, antiAffinity: [['mgmt', 'nope']] }, 'p.ts')).toThrow('p.ts: field "antiAffinity.0" has bad value "nope": not a VM of "vms" (mgmt)');
    expect(() => parsePolicy({ ...ok, order: [['mgmt'], ['mgmt']] }, 'p.ts')).toThrow('p.ts: field "order" has bad value "mgmt": a VM can be in one group only');
    expect(() => parsePolicy({ ...ok, stateDir: undefined }, 'p.ts')).toThrow('p.ts: field "stateDir" is missing');
    expect(() => parsePolicy({ ...ok, typo: 1 }, 'p.ts')).toThrow(/p.ts: field "\(policy\)".*Unrecognized key/);
  });
});
