// Public API: loadInventory, Inventory, TS inventories, inventoryCommand, export list.
import { describe, it, expect, beforeAll } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArgumentError } from '@shipshape/core';
import * as api from './index.js';
import { encryptVault, inventoryCommand, loadInventory, renderGraph } from './index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ss-inv-api-'));
  writeFileSync(
    join(dir, 'hosts.ini'),
    '[web]\nweb[1:3] ansible_user=www\n\n[db]\ndb1 ansible_host=10.0.0.9\n\n[prod:children]\nweb\ndb\n\n[prod:vars]\nenv=prod\n',
  );
  writeFileSync(join(dir, 'limit.txt'), 'web1\ndb1\n\n');
  writeFileSync(
    join(dir, 'fleet.ts'),
    `import { inventory } from '@shipshape/inventory';
export default async () => inventory({
  vars: { ansible_user: 'root' },
  hosts: ['solo'],
  groups: { esxi: { hosts: { 'esx[1:2]': { ss_port: 2222 } }, vars: { persist: true } }, prod: { children: ['esxi'] } },
});
`,
  );
  writeFileSync(join(dir, 'bad.ts'), `export default { groups: { web: { host: ['a'] } } };\n`);
});

describe('loadInventory', () => {
  it('resolves hosts, groups, vars and connections', async () => {
    const inv = await loadInventory(join(dir, 'hosts.ini'), { sshConfigPath: false, extraVars: { env: 'cli' } });
    expect(inv.hosts.map((h) => h.name)).toEqual(['web1', 'web2', 'web3', 'db1']);
    expect(inv.groups.get('prod')).toMatchObject({ children: ['web', 'db'], hosts: [], vars: { env: 'prod' } });
    expect(inv.hostVars('db1')).toEqual({ ansible_host: '10.0.0.9', env: 'cli' });
    expect(inv.select('db')[0]!.connection).toEqual({ type: 'ssh', host: '10.0.0.9' });
    expect(inv.select('web[0]')[0]!.connection).toEqual({ type: 'ssh', host: 'web1', user: 'www' });
  });

  it('selects with a limit, an @file limit, and warns on unknown names', async () => {
    const inv = await loadInventory(join(dir, 'hosts.ini'), { sshConfigPath: false });
    expect(inv.select('prod', 'web:!web2').map((h) => h.name)).toEqual(['web1', 'web3']);
    expect(inv.select('all', `@${join(dir, 'limit.txt')}`).map((h) => h.name)).toEqual(['web1', 'db1']);
    expect(inv.select(`@${join(dir, 'limit.txt')}`).map((h) => h.name)).toEqual(['web1', 'db1']);
    expect(() => inv.select('all', '@/nonexistent/limit')).toThrow('Unable to read limit file');
    const r = inv.selectWithWarnings('web:nosuch');
    expect(r.hosts.map((h) => h.name)).toEqual(['web1', 'web2', 'web3']);
    expect(r.warnings).toEqual(['Could not match supplied host pattern, ignoring: nosuch']);
    expect(inv.warnings).toContain('Could not match supplied host pattern, ignoring: nosuch');
  });

  it('loads a TypeScript inventory (default export may be an async function)', async () => {
    const inv = await loadInventory(join(dir, 'fleet.ts'), { sshConfigPath: false });
    expect(inv.hosts.map((h) => [h.name, h.connection.port])).toEqual([
      ['solo', undefined],
      ['esx1', 2222],
      ['esx2', 2222],
    ]);
    expect(renderGraph(inv)).toBe(
      ['@all:', '  |--@ungrouped:', '  |  |--solo', '  |--@prod:', '  |  |--@esxi:', '  |  |  |--esx1', '  |  |  |--esx2'].join('\n'),
    );
    expect(inv.hostVars('esx1')).toEqual({ ansible_user: 'root', persist: true, ss_port: 2222 });
  });

  it('names the file and the bad key of a malformed TypeScript inventory', async () => {
    await expect(loadInventory(join(dir, 'bad.ts'))).rejects.toThrow(`${join(dir, 'bad.ts')}: group 'web' has unknown key 'host'`);
  });
});

describe('other sources', () => {
  it('reads an `a,b:port` host list like ansible -i', async () => {
    const inv = await loadInventory('web1,web2:2222,[::1]:2200,', { sshConfigPath: false });
    expect(inv.hosts.map((h) => [h.name, h.connection.port])).toEqual([
      ['web1', undefined],
      ['web2', 2222],
      ['::1', 2200],
    ]);
    expect(inv.groups.get('ungrouped')!.hosts).toEqual(['web1', 'web2', '::1']);
  });

  it('asks a script without _meta for each host, a bounded number at a time', async () => {
    const script = join(dir, 'many.sh');
    const names = Array.from({ length: 40 }, (_, i) => `n${i}`);
    writeFileSync(
      script,
      `#!/bin/sh\nif [ "$1" = --list ]; then echo '{"g": ${JSON.stringify(names)}}'; else printf '{"me": "%s"}' "$2"; fi\n`,
      { mode: 0o755 },
    );
    const inv = await loadInventory(script, { sshConfigPath: false });
    expect(inv.hosts.map((h) => h.vars.me)).toEqual(names);
  });

  it('reports a failing inventory script with its stderr', async () => {
    const script = join(dir, 'broken.sh');
    writeFileSync(script, '#!/bin/sh\necho "cmdb unreachable" >&2\nexit 3\n', { mode: 0o755 });
    await expect(loadInventory(script)).rejects.toThrow(`${script}: Inventory script had an execution error (exit 3): cmdb unreachable`);
  });

  it('refuses a vaulted var file without a vault password', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ss-inv-vault-'));
    writeFileSync(join(d, 'hosts'), '[db]\ndb1\n');
    mkdirSync(join(d, 'group_vars'));
    writeFileSync(join(d, 'group_vars', 'db.yml'), encryptVault('pw: x\n', 'k'));
    await expect(loadInventory(join(d, 'hosts'))).rejects.toThrow('file is vault-encrypted and no vault password file was given');
  });
});

describe('unusable connection variables', () => {
  it('still list (as in ansible-inventory) and throw only when the connection is used', async () => {
    const file = join(dir, 'mixed.ini');
    writeFileSync(file, '[win]\nwin1 ansible_connection=winrm\n[linux]\nlx1 ansible_port=ssh\nlx2\n');
    const inv = await loadInventory(file, { sshConfigPath: false });
    expect(inv.warnings).toEqual([
      `${file}:2: host win1: ansible_connection: unsupported connection type 'winrm' (use ssh or local)`,
      `${file}:4: host lx1: ansible_port: port must be a positive integer, got "ssh"`,
    ]);
    expect(JSON.parse(await inventoryCommand({ inventory: file, host: 'lx1' }))).toEqual({ ansible_port: 'ssh' });
    expect(() => inv.select('win1')[0]!.connection).toThrow("unsupported connection type 'winrm'");
    expect(inv.select('lx2')[0]!.connection).toEqual({ type: 'ssh', host: 'lx2' });
  });

  it('name the file, the line (where the format has lines) and the bad value', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ss-inv-bad-'));
    const file = join(d, 'hosts');
    writeFileSync(file, [
      '[web]', 'w1', "w2 ansible_ssh_common_args='-o StrictHostKeyChecking=maybe'", 'w3 ansible_host="bad host"', 'w4\x01x', 'w5 ansible_port=70000',
      '[web:vars]', 'ansible_port=notanumber', '',
    ].join('\n'));
    mkdirSync(join(d, 'host_vars'));
    writeFileSync(join(d, 'host_vars', 'w5.yml'), 'ansible_host: -oProxyCommand=x\n');
    const inv = await loadInventory(file, { sshConfigPath: false });
    const errorOf = (h: string) => {
      try {
        return inv.select(h)[0]!.connection;
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(errorOf('w1')).toBe(`${file}:8: host w1: ansible_port: port must be a positive integer, got "notanumber"`);
    expect(errorOf('w2')).toBe(`${file}:3: host w2: ansible_ssh_common_args: unsupported StrictHostKeyChecking value "maybe" (yes, accept-new, no, ask)`);
    expect(errorOf('w3')).toBe(`${file}:4: host w3: ansible_host: not a usable host name or address: "bad host" (character " ")`);
    expect(errorOf('w4\x01x')).toBe(`${file}:5: host "w4\\u0001x": inventory_hostname: not a usable host name or address: "w4\\u0001x" (character "\\u0001")`);
    expect(errorOf('w5')).toBe(`${join(d, 'host_vars', 'w5.yml')}: host w5: ansible_host: not a usable host name or address: "-oProxyCommand=x"`);
  });
});

describe('inventoryCommand', () => {
  it('returns exactly what the CLI prints for each action', async () => {
    const inventory = join(dir, 'hosts.ini');
    const warnings: string[] = [];
    const hosts = await inventoryCommand({ inventory, listHosts: true, limit: 'prod:&web:nosuch', onWarning: (w) => warnings.push(w) });
    expect(hosts).toBe('web1\nweb2\nweb3');
    expect(warnings).toEqual(['Could not match supplied host pattern, ignoring: nosuch']);
    expect(JSON.parse(await inventoryCommand({ inventory, host: 'web2' }))).toEqual({ ansible_user: 'www', env: 'prod' });
    const list = JSON.parse(await inventoryCommand({ inventory, list: true }));
    expect(list.prod).toEqual({ children: ['web', 'db'] });
    expect(await inventoryCommand({ inventory, graph: 'db' })).toBe('@db:\n  |--db1');
  });

  it('rejects zero or several actions and unknown hosts', async () => {
    const inventory = join(dir, 'hosts.ini');
    await expect(inventoryCommand({ inventory })).rejects.toBeInstanceOf(ArgumentError);
    await expect(inventoryCommand({ inventory, list: true, graph: true })).rejects.toBeInstanceOf(ArgumentError);
    await expect(inventoryCommand({ inventory, host: 'nope' })).rejects.toThrow('You must pass a single valid host');
  });
});

describe('public surface', () => {
  it('exports exactly this list', () => {
    expect(Object.keys(api).sort()).toEqual(
      [
        'CONNECTION_VARS', 'Inventory', 'VaultValue', 'decryptVault', 'encryptVault', 'inventory', 'inventoryCommand',
        'listData', 'listHosts', 'loadInventory', 'readVaultPassword', 'renderGraph', 'renderHost', 'renderList',
      ].sort(),
    );
  });
});
