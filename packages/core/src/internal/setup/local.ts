/** Local facts: `/etc/ansible/facts.d/*.fact` as JSON or INI (executable ones run), under `ansible_local`. */
import type { Vars } from '../../types.js';
import type { Section } from './sections.js';

/** configparser as Ansible uses it: sections of `key = value` / `key: value`, keys lowercased, DEFAULT inherited. */
export function parseIni(text: string): Record<string, Record<string, string>> | undefined {
  const out: Record<string, Record<string, string>> = {};
  const defaults: Record<string, string> = {};
  let section: Record<string, string> | undefined;
  let lastKey: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || /^\s*[#;]/.test(line)) continue;
    if (/^\s/.test(line) && section && lastKey !== undefined) {
      section[lastKey] += `\n${line.trim()}`;
      continue;
    }
    const head = /^\[([^\]]+)\]\s*$/.exec(line.trim());
    if (head) {
      const name = head[1]!;
      if (name !== 'DEFAULT' && out[name]) return undefined; // DuplicateSectionError
      section = name === 'DEFAULT' ? defaults : (out[name] = {});
      lastKey = undefined;
      continue;
    }
    const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line.trim());
    if (!section || !kv) return undefined; // MissingSectionHeaderError / ParsingError
    lastKey = kv[1]!.toLowerCase();
    section[lastKey] = kv[2]!;
  }
  for (const s of Object.values(out)) for (const [k, v] of Object.entries(defaults)) if (!(k in s)) s[k] = v;
  return out;
}

function factValue(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return parseIni(text) ?? `error loading facts as JSON or ini - please check content: ${path}`;
  }
}

/** The local facts from the setup output's `local_file` / `local_exec` + `local_rc` sections, by file base name. */
export function localFacts(sections: readonly Section[]): Vars {
  const local: Record<string, unknown> = {};
  for (let i = 0; i < sections.length; i++) {
    const s = sections[i]!;
    if (s.name !== 'local_file' && s.name !== 'local_exec') continue;
    const nul = s.text.indexOf('\0');
    if (nul < 0) continue;
    const path = s.text.slice(0, nul);
    const base = path.slice(path.lastIndexOf('/') + 1).replace('.fact', '');
    const content = s.text.slice(nul + 1);
    if (s.name === 'local_exec') {
      const rc = sections[i + 1]?.name === 'local_rc' ? sections[i + 1]!.text : '';
      const nl = rc.indexOf('\n');
      const code = nl < 0 ? rc : rc.slice(0, nl);
      if (code !== '0') {
        local[base] = `Failure executing fact script (${path}), rc: ${code}, err: ${nl < 0 ? '' : rc.slice(nl + 1)}`;
        continue;
      }
    }
    local[base] = factValue(path, content);
  }
  return Object.fromEntries(Object.entries(local).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
