// Data-fixture tests: fixtures/plans/*.json ({ args, facts, expected | error }) through the ipmi.power
// schema and plan; fixtures/ipmitool/*.json (real ipmitool 1.8.19 output lines) through the parsers.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { maskDeep, parseArgs, Secret } from '@shipshape/core';
import { bmcFromVars, ipmitoolArgs, parsePowerControl, parsePowerStatus } from './ipmitool.js';
import { ipmiPower } from './power.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const cases = (sub: string) => readdirSync(path.join(dir, sub)).filter((f) => f.endsWith('.json'))
  .map((f) => [f, JSON.parse(readFileSync(path.join(dir, sub, f), 'utf8'))] as const);

describe('ipmi.power plans', () => {
  for (const [file, c] of cases('plans')) {
    it(file, () => {
      const plan = () => ipmiPower.module.plan(parseArgs(ipmiPower.module, c.args, file), c.facts);
      if (c.error !== undefined) return expect(plan).toThrow(c.error);
      const p = plan();
      expect(p.changed).toBe(c.expected.changed);
      expect(p.msg).toBe(c.expected.msg);
      if (c.expected.result) expect(p.result).toEqual(c.expected.result);
    });
  }
});

describe('ipmitool output', () => {
  for (const [file, c] of cases('ipmitool')) {
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
