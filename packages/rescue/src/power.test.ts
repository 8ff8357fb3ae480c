// Data-fixture tests: fixtures/power/*.json (plan cases of core's fixture runner) through the ipmi.power
// schema and plan; fixtures/ipmitool/*.json (real ipmitool 1.8.19 output lines) through the parsers.
import { describe, expect, it } from '@jest/globals';
import { maskDeep, Secret } from '@shipshape/core';
import { fixtureCases, planFixtures } from '@shipshape/core/testing';
import { bmcFromVars, ipmitoolArgs, parsePowerControl, parsePowerStatus } from './ipmitool.js';
import { ipmiPower } from './power.js';

planFixtures(ipmiPower, new URL('./fixtures/power/', import.meta.url));

describe('ipmitool output', () => {
  for (const [file, c] of fixtureCases<{ parse: string; stdout: string; expected: string }>(new URL('./fixtures/ipmitool/', import.meta.url))) {
    it(file, () => expect((c.parse === 'status' ? parsePowerStatus : parsePowerControl)(c.stdout)).toBe(c.expected));
  }
});

describe('BMC from inventory vars', () => {
  const vars = { bmc_address: '10.0.0.5', bmc_user: 'admin', bmc_password: new Secret('s3cret!') };
  it('keeps the password off the command line', () => {
    const t = bmcFromVars('esx1', vars);
    expect(ipmitoolArgs(t, ['chassis', 'power', 'status'])).toEqual(['-I', 'lanplus', '-C', '3', '-H', '10.0.0.5', '-p', '623', '-U', 'admin', '-E', '-R', '2', '-N', '1', 'chassis', 'power', 'status']);
    expect(JSON.stringify(maskDeep(t))).not.toContain('s3cret!');
    expect(t.password.toString()).toBe('s3cret!');
  });
  it('names the host, the var and the bad value', () => {
    expect(() => bmcFromVars('esx1', { ...vars, bmc_address: undefined })).toThrow('host esx1: var bmc_address is missing: the BMC needs bmc_address, bmc_user and bmc_password');
    expect(() => bmcFromVars('esx1', { ...vars, bmc_address: '-oProxyCommand=x y' })).toThrow('host esx1: var bmc_address has bad value "-oProxyCommand=x y"');
    expect(() => bmcFromVars('esx1', { ...vars, bmc_port: '70000' })).toThrow('host esx1: var bmc_port has bad value "70000": expected a whole number 1..65535');
  });
});
