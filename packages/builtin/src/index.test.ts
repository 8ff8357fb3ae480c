/** Locks the public surface of @shipshape/builtin: adding or removing an export is a decision. */
import { describe, expect, it } from '@jest/globals';
import * as api from './index.js';

describe('@shipshape/builtin exports', () => {
  it('lists exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'assert', 'assertSchema', 'blockinfile', 'blockinfileSchema', 'builtinModules', 'command', 'commandSchema', 'copy', 'copySchema', 'cron', 'cronSchema',
      'debug', 'debugSchema', 'fail', 'failSchema', 'fetch', 'fetchSchema', 'file', 'fileSchema', 'group', 'groupSchema', 'iniFile', 'iniFileSchema', 'ini_file', 'lineinfile',
      'lineinfileSchema', 'packageSchema', 'package_', 'ping', 'pingSchema', 'pkg', 'rawSchema', 'raw_', 'renderArgs', 'renderTemplate', 'replace', 'replaceSchema', 'service', 'serviceSchema',
      'setFact', 'setFactSchema', 'set_fact', 'setup', 'setupSchema', 'shell', 'shellSchema', 'slurp', 'slurpSchema', 'stat', 'statSchema', 'template', 'templateSchema', 'user', 'userSchema',
      'waitFor', 'waitForSchema', 'wait_for',
    ]);
  });

  it('registers every module under its Ansible name', () => {
    expect(Object.keys(api.builtinModules).sort()).toEqual([
      'assert', 'blockinfile', 'command', 'copy', 'cron', 'debug', 'fail', 'fetch', 'file', 'group', 'ini_file', 'lineinfile', 'package', 'ping',
      'raw', 'replace', 'service', 'set_fact', 'setup', 'shell', 'slurp', 'stat', 'template', 'user', 'wait_for',
    ]);
  });

  it('gives every module a check-mode policy: only command, shell and raw cannot predict', () => {
    const noCheck = Object.values(api.builtinModules).filter((m) => m.supportsCheck === false).map((m) => m.name).sort();
    expect(noCheck).toEqual(['command', 'raw', 'shell']);
  });
});
