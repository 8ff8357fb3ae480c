/** `xl list` output (docs/platforms/xen.md, xl): tab-separated header, space-aligned rows. */

export interface XlDomain {
  readonly name: string;
  readonly id: number;
  readonly memory: number;
  readonly vcpus: number;
  /** Six state letters, e.g. `r-----` or `-b----`. */
  readonly state: string;
  readonly time: number;
}

const ROW = /^(.+?)\s+(\d+)\s+(\d+)\s+(\d+)\s+([rbpscdS-]{6})\s+([\d.]+)\s*$/;

/** Parse `xl list`; the header and unparsable lines are skipped. Domain-0 is included. */
export function parseXlList(stdout: string): XlDomain[] {
  const out: XlDomain[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('Name ') || !line.trim()) continue;
    const m = ROW.exec(line);
    if (!m) continue;
    out.push({ name: m[1]!, id: Number(m[2]), memory: Number(m[3]), vcpus: Number(m[4]), state: m[5]!, time: Number(m[6]) });
  }
  return out;
}
