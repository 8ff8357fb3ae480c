/**
 * Timestamps embedded in backup file names. Names carry wall-clock time without a zone
 * (vzdump uses the node's local time), so times are kept as naive UTC Dates: only their
 * calendar fields matter for bucketing.
 */

const PATTERNS: readonly RegExp[] = [
  // vzdump: 2024_01_31-02_00_01
  /(\d{4})_(\d{2})_(\d{2})-(\d{2})_(\d{2})_(\d{2})/,
  // ISO-like: 2024-01-31T02:00:01, 2024-01-31_02-00-01, 2024-01-31-020001
  /(\d{4})-(\d{2})-(\d{2})[T_ -](\d{2})[:_-]?(\d{2})[:_-]?(\d{2})/,
  // compact: 20240131-020001, 20240131T020001
  /(\d{4})(\d{2})(\d{2})[T_-](\d{2})(\d{2})(\d{2})/,
];

/** The timestamp in a file name, or undefined when it has none (such files are never pruned). */
export function parseNameTime(name: string): { time: Date; text: string } | undefined {
  for (const re of PATTERNS) {
    const m = re.exec(name);
    if (!m) continue;
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
    const time = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
    if (time.getUTCMonth() !== mo - 1 || time.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) continue;
    return { time, text: m[0] };
  }
  return undefined;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** ISO 8601 week-numbering year and week of a (naive UTC) date, as `YYYY/WW`. */
export function isoWeekId(t: Date): string {
  const d = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day); // Thursday of this week decides the year
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}/${pad(week)}`;
}

/** Bucket ids per retention class, as Proxmox computes them (strftime of the backup time). */
export const bucketOf = {
  last: (t: Date) => String(t.getTime()),
  hourly: (t: Date) => `${t.getUTCFullYear()}/${pad(t.getUTCMonth() + 1)}/${pad(t.getUTCDate())}/${pad(t.getUTCHours())}`,
  daily: (t: Date) => `${t.getUTCFullYear()}/${pad(t.getUTCMonth() + 1)}/${pad(t.getUTCDate())}`,
  weekly: isoWeekId,
  monthly: (t: Date) => `${t.getUTCFullYear()}/${pad(t.getUTCMonth() + 1)}`,
  yearly: (t: Date) => String(t.getUTCFullYear()),
} as const;
