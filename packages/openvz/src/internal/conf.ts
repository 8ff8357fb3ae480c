/** vzctl's `KEY="value"` config files (vz.conf, <CTID>.conf): parse, and edit keeping the rest. */

const LINE = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

function unquote(v: string): string {
  const t = v.trim();
  const m = /^"(.*)"$/.exec(t) ?? /^'(.*)'$/.exec(t);
  return m ? m[1]! : t;
}

/** Parse a vzctl config; later keys win, comments and other lines are ignored (as vzctl does). */
export function parseVzConf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    const m = LINE.exec(line);
    if (m) out[m[1]!] = unquote(m[2]!);
  }
  return out;
}

/** Set keys in config text: the last existing line of a key is replaced, new keys are appended. */
export function setConfKeys(text: string, values: Readonly<Record<string, string>>): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const lastIndex = new Map<string, number>();
  lines.forEach((l, i) => {
    const m = /^\s*#/.test(l) ? null : LINE.exec(l);
    if (m) lastIndex.set(m[1]!, i);
  });
  for (const [key, value] of Object.entries(values)) {
    const rendered = `${key}="${value}"`;
    const i = lastIndex.get(key);
    if (i === undefined) lines.push(rendered);
    else lines[i] = rendered;
  }
  return `${lines.join('\n')}\n`;
}
