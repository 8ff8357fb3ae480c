/**
 * Which distribution family a container runs, from its `/etc/os-release` or, where that file is
 * missing (CentOS 6, Debian before 7), the release files (docs/platforms/openvz.md, "OS family").
 */
import { script } from '@shipshape/core';

export const OS_FAMILIES = ['debian', 'rhel', 'alpine', 'suse', 'arch', 'gentoo'] as const;
export type OsFamily = (typeof OS_FAMILIES)[number];

export interface OsInfo {
  /** undefined when nothing known was found. */
  readonly family?: OsFamily;
  /** os-release `ID`, or the release file's distribution. e.g. `debian`, `centos` */
  readonly id?: string;
  /** The file the answer came from, e.g. `/etc/os-release`, `/etc/redhat-release`. */
  readonly source?: string;
  /** `PRETTY_NAME`, or the release file's first line. */
  readonly pretty?: string;
}

const FAMILY_OF: Readonly<Record<string, OsFamily>> = {
  debian: 'debian', ubuntu: 'debian', devuan: 'debian', raspbian: 'debian', linuxmint: 'debian',
  rhel: 'rhel', centos: 'rhel', fedora: 'rhel', rocky: 'rhel', almalinux: 'rhel', ol: 'rhel', scientific: 'rhel', cloudlinux: 'rhel', amzn: 'rhel',
  alpine: 'alpine', suse: 'suse', opensuse: 'suse', sles: 'suse', 'opensuse-leap': 'suse', 'opensuse-tumbleweed': 'suse',
  arch: 'arch', archlinux: 'arch', gentoo: 'gentoo',
};

/** Release files tried when there is no os-release, and the family each one means. */
const RELEASE_FILES: readonly [string, OsFamily][] = [
  ['/etc/redhat-release', 'rhel'], ['/etc/centos-release', 'rhel'], ['/etc/debian_version', 'debian'],
  ['/etc/alpine-release', 'alpine'], ['/etc/SuSE-release', 'suse'], ['/etc/arch-release', 'arch'], ['/etc/gentoo-release', 'gentoo'],
];

/** Prints `==<file>` and the first 40 lines of os-release and of each release file that exists (run inside the CT). */
export const OS_INFO_COMMAND = script(
  `for f in /etc/os-release ${RELEASE_FILES.map(([f]) => f).join(' ')}; do if [ -f "$f" ]; then echo "==$f"; head -n 40 "$f"; fi; done; true`,
);

const unquote = (v: string): string => v.trim().replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');

/** Pure: the family from {@link OS_INFO_COMMAND}'s output (os-release first, then the release files in order). */
export function parseOsInfo(stdout: string): OsInfo {
  const files = new Map<string, string[]>();
  let cur: string[] | undefined;
  for (const line of stdout.split('\n')) {
    const m = /^==(\/etc\/\S+)$/.exec(line);
    if (m) files.set(m[1]!, (cur = []));
    else cur?.push(line);
  }
  const osRelease = files.get('/etc/os-release');
  if (osRelease) {
    const kv = Object.fromEntries(osRelease.map((l) => /^([A-Z_]+)=(.*)$/.exec(l)).filter((m) => m !== null).map((m) => [m![1]!, unquote(m![2]!)]));
    const id = kv.ID?.toLowerCase();
    const like = (kv.ID_LIKE ?? '').toLowerCase().split(/\s+/);
    const family = [id, ...like].map((x) => (x ? FAMILY_OF[x] : undefined)).find((f) => f !== undefined);
    if (family) return { family, id, source: '/etc/os-release', pretty: kv.PRETTY_NAME };
  }
  for (const [file, family] of RELEASE_FILES) {
    const text = files.get(file);
    if (!text) continue;
    const first = text[0]?.trim() ?? '';
    const id = file === '/etc/debian_version' ? 'debian' : first.split(/\s+/)[0]?.toLowerCase();
    return { family, id, source: file, pretty: first };
  }
  return {};
}
