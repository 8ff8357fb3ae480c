import { ArgumentError } from '../errors.js';
/** Split a command line like Python's shlex.split (POSIX mode), as Ansible does for `validate`. */
export function shlexSplit(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new ArgumentError(`unbalanced single quote in ${JSON.stringify(text)}`);
      cur += text.slice(i + 1, end);
      i = end;
      has = true;
    } else if (c === '"') {
      i++;
      for (; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\' && /["\\$`]/.test(text[i + 1] ?? '')) i++;
        cur += text[i];
      }
      if (i >= text.length) throw new ArgumentError(`unbalanced double quote in ${JSON.stringify(text)}`);
      has = true;
    } else if (c === '\\') {
      cur += text[++i] ?? '';
      has = true;
    } else if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) out.push(cur);
  return out;
}
