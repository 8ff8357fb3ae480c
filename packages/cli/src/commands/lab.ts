import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ArgumentError, ShipshapeError } from '@shipshape/core';
import { encryptVault } from '@shipshape/inventory';
import type { Lab } from '@shipshape/testlab';

/**
 * The testlab package, ESM loaded on demand (the CLI bundle is CommonJS; see bundle.mjs). It is an
 * optional dependency: who only runs playbooks need not install it.
 */
export async function testlab(): Promise<typeof import('@shipshape/testlab')> {
  try {
    return await import('@shipshape/testlab');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') throw e;
    throw new ShipshapeError('LAB', 'the test lab is not installed: `shipshape lab` and `shipshape demo` need the package @shipshape/testlab (npm install @shipshape/testlab)', { cause: e });
  }
}

/** The lab id the CLI uses when neither --id nor SHIPSHAPE_LAB_ID says otherwise. */
export const CLI_LAB_ID = 200;

/** `--id`'s default: SHIPSHAPE_LAB_ID (1..254) when set, else 200. */
export function defaultLabId(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SHIPSHAPE_LAB_ID;
  if (raw === undefined || raw === '') return CLI_LAB_ID;
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1 || id > 254) throw new ArgumentError(`SHIPSHAPE_LAB_ID must be a lab id 1..254, got ${JSON.stringify(raw)}`, 'SHIPSHAPE_LAB_ID', raw);
  return id;
}

export function labHosts(profiles: readonly string[], perProfile: number): { name: string; profile: string }[] {
  const list = profiles.length ? profiles : ['debian'];
  return list.flatMap((p) => Array.from({ length: perProfile }, (_, i) => ({ name: `${p}${i + 1}`, profile: p })));
}

/** Where writeLabFiles puts the lab's vault password (beside the inventory). */
export const labVaultPasswordFile = (lab: Pick<Lab, 'dir'>): string => join(lab.dir, 'vault-password');

const yamlBlock = (text: string): string => text.trimEnd().split('\n').map((l) => `  ${l}`).join('\n');

/**
 * Make the lab's inventory self-sufficient for the playbooks in playbooks/: group_vars/all.yml beside
 * it holds the NAS address, its password vault-encrypted, and a directory for ESXi config bundles;
 * the vault password sits in `vault-password` (mode 0600), named as `vault_password_file` in an
 * `ansible.cfg` beside the inventory, where shipshape looks when no vault password is given
 * (execute.ts). The inventory's header comment says all of this.
 */
export async function writeLabFiles(lab: Lab): Promise<void> {
  const passwordFile = labVaultPasswordFile(lab);
  const vaultPassword = randomBytes(24).toString('base64url');
  await writeFile(passwordFile, `${vaultPassword}\n`, { mode: 0o600 });
  const lines = ['# Written by shipshape for this lab: what the example playbooks need to know about it.', `esxi_backup_dir: ${join(lab.dir, 'esxi-bundles')}`];
  const nas = lab.hosts.find((h) => h.profile === 'nas');
  if (nas) {
    const password = (await readFile(join(nas.root, 'etc/nas/backup.password'), 'utf8')).trim();
    lines.push(`nas_host: ${nas.address}`, 'nas_password: !vault |', yamlBlock(encryptVault(password, vaultPassword)));
  }
  const xen = lab.hosts.find((h) => h.profile === 'xen');
  if (xen) {
    // Guests answer on 127.78.<id>.x / 127.79.<id>.x (the lab's xl starts their sshd there, on the dom0's port).
    lines.push(
      'xen_pair_networks:',
      `  hosting: { prefix: 127.78.${lab.id}, netmask: 255.255.255.0, gateway: 127.78.${lab.id}.1, bridge: xenbr0 }`,
      `  backup: { prefix: 127.79.${lab.id}, netmask: 255.255.255.0, bridge: xenbr0 }`,
      `xen_guest_ssh_port: ${xen.port}`,
    );
  }
  if (lab.hosts.some((h) => h.profile === 'proxmox')) {
    // The lab's Proxmox nodes keep CT root file systems on storage vmdata (its `local` has no rootdir
    // content), also for vzdump-restore.ts; the template publish fetches into the lab; the restore drill takes the OpenVZ node's generations.
    const ovz = lab.hosts.find((h) => h.profile === 'openvz');
    lines.push('ct_storage: vmdata', 'drill_storage: vmdata', 'restore_storage: vmdata', `publish_dir: ${join(lab.dir, 'templates')}`, ...(ovz ? [`source_node: ${ovz.name}`] : []));
  }
  await mkdir(join(lab.dir, 'group_vars'), { recursive: true, mode: 0o700 });
  await writeFile(join(lab.dir, 'group_vars', 'all.yml'), `${lines.join('\n')}\n`, { mode: 0o600 });
  await writeFile(join(lab.dir, 'ansible.cfg'), `[defaults]\nvault_password_file = ${passwordFile}\n`);
  const inventory = await readFile(lab.inventoryPath, 'utf8');
  const header = [
    '# shipshape test lab inventory (generated)',
    `# group_vars/all.yml beside it: ${nas ? 'nas_host, nas_password (vault-encrypted), ' : ''}${xen ? 'xen_pair_networks, xen_guest_ssh_port, ' : ''}esxi_backup_dir.`,
    `# Vault password: ${passwordFile}, the vault_password_file of the ansible.cfg beside this file.`,
    '# shipshape run reads that ansible.cfg by itself; with Ansible, pass',
    `#   --vault-password-file ${passwordFile}`,
  ];
  await writeFile(lab.inventoryPath, inventory.replace(/^# shipshape test lab inventory \(generated\)\n/, `${header.join('\n')}\n`));
}

export async function labUp(profiles: readonly string[], hosts: number, id = defaultLabId()): Promise<string> {
  const lab = await (await testlab()).startLab({ id, hosts: labHosts(profiles, hosts), persistent: true });
  await writeLabFiles(lab);
  return lab.inventoryPath;
}

export async function labDown(id = defaultLabId()): Promise<void> {
  await (await testlab()).stopLab(id);
}

export async function labInventory(id = defaultLabId()): Promise<string> {
  const s = await (await testlab()).labStatus(id);
  if (!s) throw new ShipshapeError('LAB', 'no lab is running (start one with: shipshape lab up)');
  return s.inventoryPath;
}
