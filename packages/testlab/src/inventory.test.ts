import { describe, expect, it } from '@jest/globals';
import { fixtureCases } from '@shipshape/core/testing';
import { labInventory, renderInventoryIni, type InventoryEntry } from './inventory.js';

const entry = (name: string, group: string, n: number): InventoryEntry => ({
  group,
  spec: { name, vars: {}, connection: { type: 'ssh', host: `127.77.9.${n}`, port: 22, user: 'root', privateKeyPath: '/lab/key' } },
});
const entries = [entry('web1', 'debian', 1), entry('web2', 'debian', 2), entry('db1', 'debian', 3), entry('esx1', 'esxi', 4)];

describe('labInventory().select (fixtures/select/*.json: pattern -> host names)', () => {
  for (const [file, { pattern, expected }] of fixtureCases<{ pattern: string; expected: string[] }>(new URL('./fixtures/select/', import.meta.url))) {
    it(`${file}: ${pattern}`, () => {
      expect(labInventory(entries).select(pattern).map((h) => h.name)).toEqual(expected);
    });
  }
});

describe('renderInventoryIni', () => {
  it('groups hosts by profile with the ssh vars ansible needs', () => {
    const ini = renderInventoryIni(entries, '/lab/known_hosts');
    expect(ini.split('\n').filter((l) => l.startsWith('['))).toEqual(['[debian]', '[esxi]']);
    expect(ini).toContain("esx1 ansible_host=127.77.9.4 ansible_port=22 ansible_user=root ansible_ssh_private_key_file=/lab/key " +
      "ansible_ssh_common_args='-o UserKnownHostsFile=/lab/known_hosts -o StrictHostKeyChecking=yes'\n");
  });
});
