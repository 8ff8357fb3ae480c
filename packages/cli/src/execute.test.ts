import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError, InventoryError } from '@shipshape/core';
import { defaultLabId } from './commands/lab.js';
import { inventorySources, vaultPasswordFileFor } from './execute.js';

const dir = (files: Record<string, string>) => {
  const d = mkdtempSync(join(tmpdir(), 'ss-exec-'));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(d, f, '..'), { recursive: true });
    writeFileSync(join(d, f), text);
  }
  return d;
};

describe('inventorySources', () => {
  it('takes -i as given, else ./inventory', () => {
    expect(inventorySources(['a.ini', 'b.yml'], dir({}))).toEqual(['a.ini', 'b.yml']);
    expect(inventorySources(undefined, dir({ 'inventory/hosts.ini': 'h1\n' }))).toEqual(['inventory']);
  });
  it('without either, names -i and the lab', () => {
    const cwd = dir({});
    expect(() => inventorySources([], cwd)).toThrow(InventoryError);
    expect(() => inventorySources(undefined, cwd)).toThrow(/-i FILE.*\n.*shipshape lab up, then -i \$\(shipshape lab inventory\)/);
  });
});

describe('vaultPasswordFileFor', () => {
  const cfgDir = dir({
    'inv.ini': 'h1\n',
    'ansible.cfg': '# comment\n[ssh_connection]\nvault_password_file = wrong\n[defaults]\n; other\nforks = 5\nvault_password_file: secrets/vp\n',
    'plain/inv.ini': 'h1\n',
    'plain/ansible.cfg': '[defaults]\nforks = 5\n',
    'dir/ansible.cfg': '[defaults]\nvault_password_file = /x\n',
  });
  const table: [string, readonly string[], string | undefined, NodeJS.ProcessEnv, string | undefined][] = [
    ['the flag wins', [join(cfgDir, 'inv.ini')], '/given', { ANSIBLE_VAULT_PASSWORD_FILE: '/env' }, '/given'],
    ['then ANSIBLE_VAULT_PASSWORD_FILE', [join(cfgDir, 'inv.ini')], undefined, { ANSIBLE_VAULT_PASSWORD_FILE: '/env' }, '/env'],
    ["then [defaults] of an ansible.cfg beside an inventory file, relative to it", [join(cfgDir, 'inv.ini')], undefined, {}, join(cfgDir, 'secrets/vp')],
    ['an ansible.cfg without the key gives none', [join(cfgDir, 'plain/inv.ini')], undefined, {}, undefined],
    ['an inventory directory is not an inventory file', [join(cfgDir, 'dir')], undefined, {}, undefined],
    ['a host list names no file', ['h1,h2'], undefined, {}, undefined],
  ];
  it.each(table)('%s', (_what, sources, given, env, expected) => {
    expect(vaultPasswordFileFor(sources, given, env)).toBe(expected);
  });
});

describe('defaultLabId', () => {
  it('is SHIPSHAPE_LAB_ID when set, else 200; a bad value is an error naming it', () => {
    expect(defaultLabId({})).toBe(200);
    expect(defaultLabId({ SHIPSHAPE_LAB_ID: '' })).toBe(200);
    expect(defaultLabId({ SHIPSHAPE_LAB_ID: '88' })).toBe(88);
    for (const bad of ['0', '255', '1.5', 'lab']) expect(() => defaultLabId({ SHIPSHAPE_LAB_ID: bad })).toThrow(ArgumentError);
    expect(() => defaultLabId({ SHIPSHAPE_LAB_ID: 'lab' })).toThrow(/SHIPSHAPE_LAB_ID .*"lab"/);
  });
});

