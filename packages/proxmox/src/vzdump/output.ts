/**
 * Pure parser of vzdump's console output or task log (docs/platforms/proxmox.md, "vzdump output"): which guests
 * were backed up, the archive each produced, its log file, and the errors.
 */

export type GuestType = 'openvz' | 'lxc' | 'qemu';

export interface VzdumpBackup {
  readonly id: number;
  readonly type: GuestType;
  readonly ok: boolean;
  /** Absolute path of the archive, as vzdump printed it. */
  readonly archive?: string;
  /** `<dumpdir>/<base>.log`, derived from the archive name (vzdump copies the task log there). */
  readonly log?: string;
  /** Human size as printed (`512MB`). */
  readonly size?: string;
  readonly mode?: string;
  /** The reason from `ERROR: Backup of VM <id> failed - <reason>`. */
  readonly error?: string;
}

export interface VzdumpReport {
  /** `Backup job finished successfully` was printed. */
  readonly ok: boolean;
  readonly backups: readonly VzdumpBackup[];
  /** Every `ERROR:` message, in order. */
  readonly errors: readonly string[];
}

/** vzdump archive names (pve-storage's archive regex). */
export const ARCHIVE_NAME =
  /^(vzdump-(lxc|openvz|qemu)-(\d{3,9})-(\d{4}_\d{2}_\d{2}-\d{2}_\d{2}_\d{2}))\.(tgz|tar|vma)(\.(gz|lzo|zst|bz2))?$/;

/** The log file that belongs to an archive path, or undefined when the name is not vzdump's. */
export function logPathOf(archive: string): string | undefined {
  const slash = archive.lastIndexOf('/');
  const m = ARCHIVE_NAME.exec(archive.slice(slash + 1));
  return m ? `${archive.slice(0, slash + 1)}${m[1]}.log` : undefined;
}

const PREFIX = /^(?:\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} |[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} )?(INFO|WARN|ERROR): (.*)$/;

/**
 * Parse vzdump output (console or log; with or without timestamps).
 * @example parseVzdumpOutput("INFO: creating archive '/d/vzdump-openvz-101-2024_01_31-02_00_01.tar.gz'\n...").backups[0].archive
 */
export function parseVzdumpOutput(text: string): VzdumpReport {
  const backups: { -readonly [K in keyof VzdumpBackup]: VzdumpBackup[K] }[] = [];
  const errors: string[] = [];
  let ok = false;
  let cur: (typeof backups)[number] | undefined;
  for (const raw of text.split('\n')) {
    const m = PREFIX.exec(raw.trimEnd());
    if (!m) continue;
    const [, level, msg] = m as unknown as [string, string, string];
    let x: RegExpExecArray | null;
    if (level === 'ERROR') {
      errors.push(msg);
      if ((x = /^Backup of VM (\d+) failed - (.*)$/.exec(msg))) {
        const id = Number(x[1]);
        const b = cur?.id === id ? cur : undefined;
        if (b) Object.assign(b, { ok: false, error: x[2] });
        else backups.push({ id, type: 'openvz', ok: false, error: x[2] });
        cur = undefined;
      }
      continue;
    }
    if ((x = /^Starting Backup of VM (\d+) \((openvz|lxc|qemu)\)/.exec(msg))) {
      cur = { id: Number(x[1]), type: x[2] as GuestType, ok: false };
      backups.push(cur);
    } else if (!cur) {
      // vzdump 1.x spells it "successfuly" (VZDump.pm 1.2.6).
      if (msg === 'Backup job finished successfully' || msg === 'Backup job finished successfuly') ok = true;
    } else if ((x = /^backup mode: (\w+)/.exec(msg))) cur.mode = x[1];
    else if ((x = /^creating (?:vzdump )?archive '(.+)'$/.exec(msg))) {
      cur.archive = x[1];
      cur.log = logPathOf(x[1]!);
    } else if ((x = /^archive file size: (\S+)/.exec(msg))) cur.size = x[1];
    else if (/^Finished Backup of VM \d+/.test(msg)) {
      cur.ok = true;
      cur = undefined;
    }
  }
  return { ok: ok && errors.length === 0, backups, errors };
}
