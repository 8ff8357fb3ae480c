/** Splitting the setup command's output into its sections, and small helpers the parsers share. */

export interface Section {
  readonly name: string;
  readonly text: string;
}

/**
 * The sections in output order (a name may repeat: one `net <if>` per interface, one `local_*` per
 * fact file). The first line is the boundary the command was given; a section ends where the next
 * `\n<boundary> ` starts.
 */
export function splitSections(output: string): Section[] {
  const nl = output.indexOf('\n');
  const boundary = output.slice(0, nl);
  if (nl < 0 || !/^[0-9a-zA-Z]{8,}$/.test(boundary)) return [];
  const out: Section[] = [];
  for (const part of output.slice(nl).split(`\n${boundary} `).slice(1)) {
    const end = part.indexOf('\n');
    out.push(end < 0 ? { name: part, text: '' } : { name: part.slice(0, end), text: part.slice(end + 1) });
  }
  return out;
}

/** Sections by name; repeated names keep every occurrence in order. */
export class Sections {
  private readonly byName = new Map<string, Section[]>();
  constructor(readonly all: readonly Section[]) {
    for (const s of all) {
      const list = this.byName.get(s.name) ?? [];
      list.push(s);
      this.byName.set(s.name, list);
    }
  }

  /** The text of a section ('' when absent). */
  text(name: string): string {
    return this.byName.get(name)?.[0]?.text ?? '';
  }

  lines(name: string): string[] {
    return this.text(name).split('\n').filter((l) => l !== '');
  }

  /** `key=value` lines of a section; a key seen twice keeps every value. */
  keyValues(name: string): Map<string, string[]> {
    return keyValueLines(this.text(name));
  }
}

export function keyValueLines(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const k = line.slice(0, eq);
    out.set(k, [...(out.get(k) ?? []), line.slice(eq + 1)]);
  }
  return out;
}

/** A decimal integer, or undefined. */
export function int(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?\d+$/.test(text.trim())) return undefined;
  return Number(text.trim());
}
