/**
 * Provision a hosting guest on a Xen dom0 and its backup guest on a second dom0, as the operators' wrapper
 * does: sizes from the hosting package, guests named `<name>.hosting.<domain>` / `<name>.backup.<domain>`,
 * the same last octet in both internal subnets (from the registry CSVs when given, else from live state),
 * the hosting roles, an SFTP jail for a dedicated backup user on the backup guest, a nightly restic backup
 * from the hosting guest to it (first backup and check at provisioning), an optional external IP, both
 * guests linked from /etc/xen/auto and started. Root passwords go to 0600 files under ./secrets.
 * Idempotent: rerunning changes nothing; PAIR_FORCE=1 recreates both guests on the same octet.
 *
 *   PAIR_NAME=web07 PAIR_PACKAGE=package2 PAIR_BACKUP_HOST=xen2 PAIR_EXTERNAL_IP=203.0.113.7 \
 *     shipshape run playbooks/xen-hosting-pair.ts -i inventory/xen.ini --limit xen1
 */
import { playbook, type PlaybookDef, type Task } from '@shipshape/core';
import { hostingRoles, pair, type GuestSize, type HostingRolesOptions, type PairOptions, type PairSubnet } from '@shipshape/xen';

/** The wrapper's hosting packages: the hosting guest's size. The backup guest: 256 MB, 1 vCPU, same disk. */
export const PACKAGES = {
  package1: { memory: '1024M', vcpus: 1, size: '25G' },
  package2: { memory: '4096M', vcpus: 4, size: '50G' },
  package3: { memory: '8192M', vcpus: 8, size: '250G' },
} as const satisfies Record<string, GuestSize>;

export type PackageName = keyof typeof PACKAGES;

/** Internal networks: hosting guests on the hosting dom0, backup guests on the backup dom0. */
export const NETWORKS = {
  hosting: { prefix: '10.10.1', netmask: '255.255.255.0', gateway: '10.10.1.1', bridge: 'xenbr0' },
  backup: { prefix: '10.20.1', netmask: '255.255.255.0', bridge: 'xenbr0' },
} as const satisfies Record<'hosting' | 'backup', PairSubnet>;

/** What the hosting role library gets on every hosting guest. */
export const ROLES: HostingRolesOptions = { adminMail: 'ops@example.org', smarthost: 'mail.example.org', monitoring: ['10.10.1.2'] };

export interface HostingPairRequest {
  readonly name: string;
  readonly package: PackageName;
  readonly backupHost: string;
  /** @default 'example.org' */
  readonly domain?: string;
  readonly external_ip?: string;
  /** @default 'xenbr1' */
  readonly externalBridge?: string;
  /** Host pattern of the hosting dom0(s). @default every `xen` host except the backup host */
  readonly hosts?: string;
  readonly force?: boolean;
  /** Registry CSVs on the hosting dom0. */
  readonly registry?: PairOptions['registry'];
  /** Role tasks for the hosting guest. @default hostingRoles(ROLES) */
  readonly roles?: readonly Task[];
  /** Overrides of the pair's options (networks, storage, ports, ...). */
  readonly options?: Partial<PairOptions>;
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
        name: r.name, domain: r.domain ?? 'example.org', backupHost: r.backupHost, package: r.package, size,
        hosting: NETWORKS.hosting, backup: NETWORKS.backup, dist: 'bookworm', force: r.force, registry: r.registry,
        external: r.external_ip ? { ip: r.external_ip, bridge: r.externalBridge ?? 'xenbr1' } : undefined,
        hostingRoles: r.roles ?? hostingRoles(ROLES),
        ...r.options,
      }),
    ],
  });
}

/** Networks and guest SSH port from the inventory when it has them (the test lab's group_vars do), else NETWORKS and 22. */
const fromInventory: Partial<PairOptions> = {
  hosting: (ctx) => (ctx.vars.xen_pair_networks as typeof NETWORKS | undefined)?.hosting ?? NETWORKS.hosting,
  backup: (ctx) => (ctx.vars.xen_pair_networks as typeof NETWORKS | undefined)?.backup ?? NETWORKS.backup,
  sshPort: (ctx) => Number(ctx.vars.xen_guest_ssh_port ?? 22),
};

const env = process.env;
export default hostingPair({
  options: fromInventory,
  name: env.PAIR_NAME ?? 'web01',
  package: (env.PAIR_PACKAGE ?? 'package1') as PackageName,
  backupHost: env.PAIR_BACKUP_HOST ?? 'xen2',
  domain: env.PAIR_DOMAIN,
  external_ip: env.PAIR_EXTERNAL_IP,
  hosts: env.PAIR_HOSTS,
  force: env.PAIR_FORCE === '1',
});
