import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from './errors.js';
import { profilesDir } from './internal/paths.js';

export { profilesDir };

/** What a host root is built from: an overlay of the machine's `/`, or a busybox-only tree. */
export type ProfileBase = 'debian' | 'busybox';

/** A host profile: `<dir>/profile.json` ({"base": ...}), optional `rootfs/`, `setup.sh`, `boot.sh`. */
export interface Profile {
  readonly name: string;
  readonly base: ProfileBase;
  /** The profile's own directory. */
  readonly dir: string;
  /** Directories applied to a host in order: the base profile's (when it is another one), then this one. */
  readonly layers: readonly string[];
  /**
   * Absolute paths inside the host that are one directory for every host of the lab declaring the same
   * path (a bind mount of `<lab>/shared/<path>`): a shared datastore.
   */
  readonly shared?: readonly string[];
  /** Each host gets a BMC: a real IPMI-over-LAN `ipmi_sim` on its own address, UDP 623. */
  readonly bmc?: boolean;
}

const NAME = /^[a-z][a-z0-9_-]{0,31}$/;
const SHARED_PATH = /^(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)+$/;

function readProfile(name: string, dir: string): Omit<Profile, 'layers'> {
  const file = path.join(dir, 'profile.json');
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new LabError(`profile ${name}: cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
  const base = (json as { base?: unknown } | null)?.base;
  if (base !== 'debian' && base !== 'busybox') {
    throw new LabError(`profile ${name}: ${file}: "base" must be "debian" or "busybox", got ${JSON.stringify(base)}`);
  }
  const { shared, bmc } = json as { shared?: unknown; bmc?: unknown };
  if (shared !== undefined && (!Array.isArray(shared) || shared.some((p) => typeof p !== 'string' || !SHARED_PATH.test(p)))) {
    throw new LabError(`profile ${name}: ${file}: "shared" must be a list of absolute paths (letters, digits, /._-), got ${JSON.stringify(shared)}`);
  }
  if (bmc !== undefined && typeof bmc !== 'boolean') throw new LabError(`profile ${name}: ${file}: "bmc" must be true or false, got ${JSON.stringify(bmc)}`);
  return { name, base, dir, ...(shared ? { shared: shared as string[] } : {}), ...(bmc ? { bmc } : {}) };
}

function searchDirs(extraDirs: readonly string[]): string[] {
  return [...extraDirs, profilesDir];
}

/** Every profile found in `extraDirs` (searched first) and the package's own profiles directory. */
export function listProfiles(extraDirs: readonly string[] = []): Profile[] {
  const seen = new Set<string>();
  const found: Profile[] = [];
  for (const root of searchDirs(extraDirs)) {
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root).sort()) {
      if (seen.has(name) || !NAME.test(name) || !existsSync(path.join(root, name, 'profile.json'))) continue;
      seen.add(name);
      found.push(resolveProfile(name, extraDirs));
    }
  }
  return found;
}

/** Find a profile by name; a clear LabError lists the known ones when it does not exist. */
export function resolveProfile(name: string, extraDirs: readonly string[] = []): Profile {
  if (!NAME.test(name)) throw new LabError(`bad profile name ${JSON.stringify(name)} (expected ${NAME})`);
  const dir = searchDirs(extraDirs)
    .map((root) => path.join(root, name))
    .find((d) => existsSync(path.join(d, 'profile.json')));
  if (!dir) {
    const known = listProfiles(extraDirs).map((p) => p.name).join(', ');
    throw new LabError(`unknown profile ${JSON.stringify(name)}; known profiles: ${known}`);
  }
  const profile = readProfile(name, dir);
  const baseDir = path.join(profilesDir, profile.base);
  const layers = name !== profile.base && existsSync(baseDir) ? [baseDir, dir] : [dir];
  return { ...profile, layers };
}
