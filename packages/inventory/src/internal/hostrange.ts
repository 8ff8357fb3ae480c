import { InventoryValueError } from './errors.js';

/*
 * Host patterns in inventory files: `name:port`, `[ipv6]:port`, and ranges such as
 * `web[01:20:2].example.com` or `db-[a:c]`, expanded exactly like Ansible's
 * parse_address + expand_hostname_range.
 */

const NUMERIC_RANGE = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const HEX_RANGE = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const ALNUM_RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const I4 = String.raw`(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${NUMERIC_RANGE})`;
const I6 = String.raw`(?:[0-9a-f]{1,4}|${HEX_RANGE})`;
const LABEL = String.raw`(?:[\p{L}\p{N}_]|${ALNUM_RANGE})(?:[\p{L}\p{N}_-]|${ALNUM_RANGE})*(?<![_-])`;

const BRACKETED_HOSTPORT = /^\[(.+)\]:([0-9]+)$/;
const HOSTPORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;
const IPV4 = new RegExp(String.raw`^(?:${I4}\.){3}${I4}$`, 'i');
const IPV6 = new RegExp(
  '^(?:' +
    [
      `(?:${I6}:){7}${I6}`,
      `(?:${I6}:){1,6}:`,
      `(?:${I6}:)(?::${I6}){1,6}`,
      `(?:${I6}:){2}(?::${I6}){1,5}`,
      `(?:${I6}:){3}(?::${I6}){1,4}`,
      `(?:${I6}:){4}(?::${I6}){1,3}`,
      `(?:${I6}:){5}(?::${I6}){1,2}`,
      `(?:${I6}:){6}(?::${I6})`,
      `:(?::${I6}){1,6}`,
      `${I6}?::`,
      `(?:0:){6}(?:${I6}\\.){3}${I6}`,
      `::(?:ffff:)?(?:${I6}\\.){3}${I6}`,
      `(?:0:){5}ffff:(?:${I6}\\.){3}${I6}`,
    ].join('|') +
    ')$',
  'i',
);
const HOSTNAME = new RegExp(String.raw`^${LABEL}(?:\.${LABEL})*$`, 'iu');
/**
 * Plain ASCII names and IPv4 addresses, the usual case: a subset of HOSTNAME that is far cheaper
 * to compile than the Unicode and IPv6 expressions (~6 ms for the first few hosts otherwise).
 */
const SIMPLE_NAME = /^(?:[A-Za-z0-9_][A-Za-z0-9_-]*)?[A-Za-z0-9](?:\.(?:[A-Za-z0-9_][A-Za-z0-9_-]*)?[A-Za-z0-9])*$/;

/** Ansible's parse_address(allow_ranges=True); throws when the text is no host identifier. */
export function parseAddress(address: string): { host: string; port?: number } {
  let rest = address;
  let port: number | undefined;
  for (const re of [BRACKETED_HOSTPORT, HOSTPORT]) {
    const m = re.exec(rest);
    if (m) {
      rest = m[1]!;
      port = Number.parseInt(m[2]!, 10);
    }
  }
  if (!(SIMPLE_NAME.test(rest) || IPV4.test(rest) || IPV6.test(rest) || HOSTNAME.test(rest))) {
    throw new InventoryValueError(`Not a valid network hostname: ${rest}`);
  }
  return { host: rest, port };
}

/** Split a host pattern into expanded host names and an optional port. */
export function expandHostPattern(pattern: string): { hosts: string[]; port?: number } {
  let host = pattern;
  let port: number | undefined;
  try {
    ({ host, port } = parseAddress(pattern));
  } catch {
    // not a recognisable address: Ansible keeps the text as the host name
  }
  return { hosts: host.includes('[') ? expandRange(host) : [host], port };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Ansible's expand_hostname_range (first bracket first, then recursively). */
export function expandRange(line: string): string[] {
  const open = line.indexOf('[');
  const close = line.indexOf(']', open);
  if (close < 0) throw new InventoryValueError(`host range is not closed: ${line}`);
  const head = line.slice(0, open);
  const nrange = line.slice(open + 1, close);
  const tail = line.slice(close + 1);
  const bounds = nrange.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new InventoryValueError('host range must be begin:end or begin:end:step');
  const beg = bounds[0] || '0';
  const end = bounds[1]!;
  const step = bounds.length === 3 ? Number.parseInt(bounds[2]!, 10) : 1;
  if (!end) throw new InventoryValueError('host range must specify end value');
  if (!Number.isInteger(step) || step <= 0) throw new InventoryValueError(`host range step must be a positive integer: ${nrange}`);
  let fill = (x: string | number): string => String(x);
  if (beg[0] === '0' && beg.length > 1) {
    if (beg.length !== end.length) throw new InventoryValueError('host range must specify equal-length begin and end formats');
    fill = (x) => String(x).padStart(beg.length, '0');
  }
  const seq: (string | number)[] = [];
  const ib = beg.length === 1 ? LETTERS.indexOf(beg) : -1;
  const ie = end.length === 1 ? LETTERS.indexOf(end) : -1;
  if (ib >= 0 && ie >= 0) {
    if (ib > ie) throw new InventoryValueError('host range must have begin <= end');
    for (let i = ib; i <= ie; i += step) seq.push(LETTERS[i]!);
  } else {
    const b = Number(beg);
    const e = Number(end);
    if (!/^[0-9]+$/.test(beg) || !/^[0-9]+$/.test(end)) throw new InventoryValueError(`invalid host range: [${nrange}]`);
    for (let i = b; i <= e; i += step) seq.push(i);
  }
  const out: string[] = [];
  for (const r of seq) {
    const name = head + fill(r) + tail;
    if (name.includes('[')) out.push(...expandRange(name));
    else out.push(name);
  }
  return out;
}
