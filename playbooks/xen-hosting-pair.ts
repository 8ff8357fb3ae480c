/**
 * Provision a hosting guest on a Xen dom0 and its backup guest on a second dom0:
 * size from a package preset, next free internal IP from live state on both hosts (same last
 * octet in each subnet), sftp jail for the backup user inside the backup guest, optional
 * external IP vif, both started. Idempotent: rerunning changes nothing.
 *
 *   PAIR_NAME=web07 PAIR_PACKAGE=medium PAIR_BACKUP_HOST=xen2 PAIR_EXTERNAL_IP=203.0.113.7 \
 *     shipshape run playbooks/xen-hosting-pair.ts -i inventory/xen.ini --limit xen1
 */
import { playbook, type PlaybookDef } from '@shipshape/core';
import { pair, type GuestSize, type PairSubnet } from '@shipshape/xen';

/** Size presets per hosting package. */
export const PACKAGES = {
  small: { memory: '512M', size: '10G', swap: '512M', vcpus: 1 },
  medium: { memory: '1G', size: '20G', swap: '1G', vcpus: 2 },
  large: { memory: '4G', size: '80G', swap: '2G', vcpus: 4 },
} as const satisfies Record<string, GuestSize>;

export type PackageName = keyof typeof PACKAGES;

/** Internal networks: hosting guests on the hosting dom0, backup guests on the backup dom0. */
export const NETWORKS = {
  hosting: { prefix: '10.10.1', netmask: '255.255.255.0', gateway: '10.10.1.1', bridge: 'xenbr0' },
  backup: { prefix: '10.20.1', netmask: '255.255.255.0', gateway: '10.20.1.1', bridge: 'xenbr0' },
} as const satisfies Record<'hosting' | 'backup', PairSubnet>;

export interface HostingPairRequest {
  readonly name: string;
  readonly package: PackageName;
  readonly backupHost: string;
  readonly external_ip?: string;
  /** Host pattern of the hosting dom0(s). @default every `xen` host except the backup host */
  readonly hosts?: string;
  /** @default 'xenbr1' */
  readonly externalBridge?: string;
}

/** The playbook for one pair. */
export function hostingPair(r: HostingPairRequest): PlaybookDef {
  const size = PACKAGES[r.package];
  if (!size) throw new Error(`xen-hosting-pair: unknown package ${JSON.stringify(r.package)} (known: ${Object.keys(PACKAGES).join(', ')})`);
  return playbook({
    name: `Xen hosting pair ${r.name}`,
    hosts: r.hosts ?? `xen:!${r.backupHost}`,
    tasks: [
      pair({
        name: r.name, backupHost: r.backupHost, size, hosting: NETWORKS.hosting, backup: NETWORKS.backup, dist: 'bookworm',
        external: r.external_ip ? { ip: r.external_ip, bridge: r.externalBridge ?? 'xenbr1' } : undefined,
      }),
    ],
  });
}

const env = process.env;
export default hostingPair({
  name: env.PAIR_NAME ?? 'web01',
  package: (env.PAIR_PACKAGE ?? 'small') as PackageName,
  backupHost: env.PAIR_BACKUP_HOST ?? 'xen2',
  external_ip: env.PAIR_EXTERNAL_IP,
  hosts: env.PAIR_HOSTS,
});
