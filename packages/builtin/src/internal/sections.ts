/**
 * Several reads in one round trip: each part prints a marker line, then its output. The parser
 * splits stdout back into named sections with the exact bytes each part printed.
 */
import { ArgumentError, raw, sh, type Command } from '@shipshape/core';

const MARK = '@@shipshape-section:';

/** Shell text printing the marker for section `name` (a trusted identifier). */
export function sectionMark(name: string): Command {
  if (!/^[a-z0-9_]+$/.test(name)) throw new ArgumentError(`bad section name ${name}`, 'section', name);
  return sh`printf '\n%s\n' ${raw(`'${MARK}${name}'`)}`;
}

/** Join parts, each preceded by its marker, into one command. */
export function sectionsCommand(parts: Readonly<Record<string, Command>>): Command {
  const list = Object.entries(parts).map(([name, c]) => sh`${sectionMark(name)}; { ${c}; }`);
  const text = list.map((c) => c.text).join('; ');
  const display = list.map((c) => c.display).join('; ');
  return { text, display };
}

/** Split output into sections; a section absent from the output is missing from the result. */
export function parseSections(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = new RegExp(`\\n${MARK}([a-z0-9_]+)\\n`, 'g');
  let m: RegExpExecArray | null;
  let name: string | undefined;
  let start = 0;
  while ((m = re.exec(stdout))) {
    if (name !== undefined) out[name] = stdout.slice(start, m.index);
    name = m[1]!;
    start = m.index + m[0].length;
  }
  if (name !== undefined) out[name] = stdout.slice(start);
  return out;
}
