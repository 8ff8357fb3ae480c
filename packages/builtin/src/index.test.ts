/** Locks the public surface of @shipshape/builtin: adding or removing an export is a decision. */
import { describe, expect, it } from '@jest/globals';
import * as api from './index.js';

describe('@shipshape/builtin exports', () => {
  it('lists exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'assert', 'assertSchema', 'blockinfile', 'blockinfileSchema', 'command', 'commandSchema', 'copy', 'copySchema', 'cron', 'cronSchema',
      'debug', 'debugSchema', 'fail', 'failSchema', 'fetch', 'fetchSchema', 'file', 'fileSchema', 'group', 'groupSchema', 'iniFile', 'iniFileSchema', 'ini_file', 'lineinfile',
      'lineinfileSchema', 'modules', 'packageSchema', 'package_', 'ping', 'pingSchema', 'pkg', 'rawSchema', 'raw_', 'renderArgs', 'renderTemplate', 'replace', 'replaceSchema', 'service', 'serviceSchema',
      'setFact', 'setFactSchema', 'set_fact', 'setup', 'setupSchema', 'shell', 'shellSchema', 'slurp', 'slurpSchema', 'stat', 'statSchema', 'template', 'templateSchema', 'user', 'userSchema',
      'waitFor', 'waitForSchema', 'wait_for',
    ]);
  });

  it('names every module as Ansible does, and offers each under one export name', () => {
    expect(Object.keys(api.modules).sort()).toEqual([
      'assert', 'blockinfile', 'command', 'copy', 'cron', 'debug', 'fail', 'fetch', 'file', 'group', 'iniFile', 'lineinfile', 'ping', 'pkg',
      'raw_', 'replace', 'service', 'setFact', 'setup', 'shell', 'slurp', 'stat', 'template', 'user', 'waitFor',
    ]);
    expect(Object.values(api.modules).map((f) => f.module.name).sort()).toEqual([
      'assert', 'blockinfile', 'command', 'copy', 'cron', 'debug', 'fail', 'fetch', 'file', 'group', 'ini_file', 'lineinfile', 'package', 'ping',
      'raw', 'replace', 'service', 'set_fact', 'setup', 'shell', 'slurp', 'stat', 'template', 'user', 'wait_for',
    ]);
  });

  it('keeps the Ansible-named exports as aliases of the same factories', () => {
    expect([api.wait_for, api.ini_file, api.package_, api.set_fact]).toEqual([api.waitFor, api.iniFile, api.pkg, api.setFact]);
  });

  it('gives every module a check-mode policy: only command, shell and raw cannot predict', () => {
    const noCheck = Object.values(api.modules).filter((f) => f.module.supportsCheck === false).map((f) => f.module.name).sort();
    expect(noCheck).toEqual(['command', 'raw', 'shell']);
  });
});
