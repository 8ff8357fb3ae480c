import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Where every lab lives: one directory per lab id. */
export const LAB_BASE = '/var/tmp/shipshape-lab';

/** What profiles build once per machine (prepare.sh) and every lab reuses. */
export const LAB_CACHE = '/var/tmp/shipshape-lab-cache';

/** The package root (same depth from src/internal and dist/internal). */
export const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/** The POSIX sh scripts a host runs (stage0.sh, init.sh, lab-reboot). */
export const shDir = path.join(packageDir, 'src', 'sh');

/** The profiles shipped with this package: `profiles/<name>/profile.json`. */
export const profilesDir = path.join(packageDir, 'profiles');

export const labDir = (id: number): string => path.join(LAB_BASE, String(id));

export const hostAddress = (id: number, index: number): string => `127.77.${id}.${index + 1}`;
