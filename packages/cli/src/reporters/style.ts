import { Chalk, type ChalkInstance } from 'chalk';
import { createTwoFilesPatch } from 'diff';
import { NO_LOG_MSG, type FileDiff, type HostStats, type TaskResult, type Vars } from '@shipshape/core';

export { NO_LOG_MSG };

/** Colour on a TTY; off with NO_COLOR or when not a TTY, unless FORCE_COLOR. */
export function makeChalk(stream: NodeJS.WriteStream, env = process.env): ChalkInstance {
  let level: 0 | 1 | 2 | 3 = stream.isTTY ? 2 : 0;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') level = 0;
  if (env.FORCE_COLOR !== undefined) level = env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false' ? 0 : (Math.min(3, Math.max(1, Number(env.FORCE_COLOR) || 1)) as 1 | 2 | 3);
  return new Chalk({ level });
}


export function statusWord(r: TaskResult): string {
  if (r.status === 'failed') return r.ignored ? 'failed (ignored)' : 'failed';
  if (r.status === 'skipped') return 'skipping';
  return r.status;
}

/** C0 and C1 controls (but tab and newline), DEL, and the bidirectional overrides. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from a host, a playbook or an inventory made safe for a terminal: control characters show as
 * `\x1b`-style escapes, so nothing shown can set the title, move the cursor or fake colours.
 */
export function safe(text: string): string {
  return text.replace(CONTROL, (ch) => {
    const n = ch.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

/** Python's str() of a loop item, as Ansible labels items: `a`, `{'n': 1}`, `['x', 2]`. */
export function itemLabel(item: unknown, nested = false): string {
  if (typeof item === 'string') return nested ? `'${item.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : item;
  if (item === null || item === undefined) return 'None';
  if (typeof item === 'boolean') return item ? 'True' : 'False';
  if (Array.isArray(item)) return `[${item.map((x) => itemLabel(x, true)).join(', ')}]`;
  if (typeof item === 'object') return `{${Object.entries(item).map(([k, v]) => `'${k}': ${itemLabel(v, true)}`).join(', ')}}`;
  return String(item);
}

/** json.dumps(value, sort_keys=True): the form Ansible prints results in. */
export function ansibleJson(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map(ansibleJson).join(', ')}]`;
  if (typeof value === 'object' && !Buffer.isBuffer(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${ansibleJson(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** A shown result as Ansible's default callback prints it: JSON, keys sorted, indented by 4, non-ASCII as is. */
export function shownJson(value: Vars): string {
  return JSON.stringify(sortKeys(value), null, 4);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object' && !Buffer.isBuffer(v)) {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => [k, sortKeys(x)]));
  }
  return v;
}

/** Longest stdout/stderr a failure line shows: its head and its tail, where the error usually is. */
const SHOWN_HEAD = 1000;
const SHOWN_TAIL = 3000;

export function truncateOutput(text: string): string {
  if (text.length <= SHOWN_HEAD + SHOWN_TAIL) return text;
  const cut = text.length - SHOWN_HEAD - SHOWN_TAIL;
  return `${text.slice(0, SHOWN_HEAD)}\n[... ${cut} characters not shown ...]\n${text.slice(-SHOWN_TAIL)}`;
}

const splitLines = (text: string) => (text === '' ? [] : text.split('\n'));

/** The fields of a failure as Ansible shows them: module data, msg, rc, stdout/stderr and their lines. */
export function failureFields(r: TaskResult, noLog?: boolean): Record<string, unknown> {
  if (noLog) return { censored: NO_LOG_MSG };
  const out: Record<string, unknown> = { ...r.data, changed: r.changed, msg: r.msg };
  if (r.rc !== undefined) out.rc = r.rc;
  for (const k of ['stdout', 'stderr'] as const) {
    const v = r[k];
    if (v === undefined) continue;
    const shown = truncateOutput(v.replace(/\n$/, ''));
    out[k] = shown;
    out[`${k}_lines`] = splitLines(shown);
  }
  if ('item' in r) Object.assign(out, { ansible_loop_var: 'item', item: r.item });
  if (r.attempts !== undefined) out.attempts = r.attempts;
  return out;
}

/**
 * The lines Ansible's default callback prints for one host's result: `changed: [h]`,
 * `fatal: [h]: FAILED! => {...}` (then `...ignoring` when ignored), one line per loop item
 * (`changed: [h] => (item=a)`, `failed: [h] (item=b) => {...}`). Coloured and safe for a terminal.
 */
/** `host`, or `host -> delegate` for a delegated task, as Ansible labels results. */
export function hostLabel(e: { host: string; delegate?: string }): string {
  return e.delegate ? `${e.host} -> ${e.delegate}` : e.host;
}

export function resultLines(c: ChalkInstance, host: string, r: TaskResult, o: { noLog?: boolean; verbosity: number }): string[] {
  const h = `[${host}]`;
  const more = (x: TaskResult) => (o.verbosity > 0 && x.msg && !o.noLog ? ` => ${x.msg}` : '');
  const out: [TaskResult, string][] = [];
  if (r.results?.length) {
    for (const item of r.results) {
      const label = `(item=${o.noLog ? 'None' : itemLabel(item.item)})`;
      if (item.status === 'failed') out.push([item, `failed: ${h} ${label} => ${ansibleJson(failureFields(item, o.noLog))}`]);
      else if (item.status === 'skipped') out.push([item, `skipping: ${h} => ${label} `]);
      else out.push([item, `${item.status}: ${h} => ${label}${more(item)}`]);
    }
  } else if (r.status === 'failed') {
    out.push([r, `fatal: ${h}: FAILED! => ${ansibleJson(failureFields(r, o.noLog))}`]);
  } else if (r.show && !o.noLog) {
    out.push([r, `${statusWord(r)}: ${h} => ${shownJson(r.show)}`]);
  } else {
    out.push([r, `${statusWord(r)}: ${h}${more(r)}`]);
  }
  const shown = out.map(([x, text]) => colourStatus(c, { ...x, ignored: false }, safe(text)));
  if (r.status === 'failed' && r.ignored) shown.push(c.cyan('...ignoring'));
  return shown;
}

/** `fatal: [h]: UNREACHABLE! => {...}`, as Ansible prints it (the reason in front of the message). */
export function unreachableLine(e: { host: string; reason: string; msg: string }): string {
  return `fatal: [${e.host}]: UNREACHABLE! => ${ansibleJson({ changed: false, msg: `${e.reason}: ${e.msg}`, unreachable: true })}`;
}

export function colourStatus(c: ChalkInstance, r: TaskResult, text: string): string {
  if (r.status === 'failed') return r.ignored ? c.cyan(text) : c.red(text);
  if (r.status === 'changed') return c.yellow(text);
  if (r.status === 'skipped') return c.cyan(text);
  return c.green(text);
}

/** Unified diffs, coloured line by line. */
export function renderDiffs(c: ChalkInstance, diffs: readonly FileDiff[]): string {
  return diffs
    .map((d) =>
      createTwoFilesPatch(`${d.path} (before)`, `${d.path} (after)`, d.before, d.after)
        .split('\n')
        .slice(1)
        .map(safe)
        .map((l) => (l.startsWith('+') ? c.green(l) : l.startsWith('-') ? c.red(l) : l.startsWith('@@') ? c.cyan(l) : l))
        .join('\n'),
    )
    .join('\n');
}

export function recapLines(c: ChalkInstance, stats: Readonly<Record<string, HostStats>>, durationMs: number): string[] {
  // Ansible's default callback: `%-26s : ok=%-4s changed=%-4s ...` (the padding counts the name's own characters).
  const lines = Object.keys(stats).map((name) => {
    const s = stats[name]!;
    const n = safe(name).padEnd(26);
    const hostCol = s.failed || s.unreachable ? c.red(n) : s.changed ? c.yellow(n) : c.green(n);
    const f = (label: string, v: number, col: (x: string) => string) => (v ? col(`${label}=${String(v).padEnd(4)}`) : `${label}=${String(v).padEnd(4)}`);
    return `${hostCol} : ${f('ok', s.ok, c.green)} ${f('changed', s.changed, c.yellow)} ${f('unreachable', s.unreachable, c.red)} ${f('failed', s.failed, c.red)} ${f('skipped', s.skipped, c.cyan)} ${f('rescued', s.rescued, c.cyan)} ${f('ignored', s.ignored, c.cyan)}`;
  });
  return [header('PLAY RECAP'), ...lines, '', `wall time: ${(durationMs / 1000).toFixed(2)}s`];
}

/** Queue mode: the hosts whose slice ran again after its worker was lost (the recap counts their last run). */
export function retriedLine(hosts: readonly string[]): string {
  return `retried on another worker: ${hosts.join(', ')}`;
}

export function header(raw: string): string {
  const text = safe(raw);
  // Ansible's banner: the text, a space and stars to 80 columns (at least 3 stars).
  return `${text} ${'*'.repeat(Math.max(3, 79 - text.length))}`;
}
