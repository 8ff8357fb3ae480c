/**
 * The hosting guest's role library: typed task lists for `guest({ hooks })` (run inside the new guest's root,
 * daemons kept from starting by policy-rc.d) or `guestRoot({ tasks })`. Every role is idempotent: applied a
 * second time it changes nothing. Packages come from the guest's own apt sources.
 */
import { blockinfile, copy, file, lineinfile, pkg, shell } from '@shipshape/builtin';
import { ArgumentError, quote, type Task } from '@shipshape/core';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HOST = /^[A-Za-z0-9][A-Za-z0-9.-]*$/;
const MAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+$/;

function check(role: string, field: string, value: string, re: RegExp, what: string): string {
  if (!re.test(value)) throw new ArgumentError(`role ${role}: field "${field}" has bad value ${JSON.stringify(value)}: expected ${what}`, field, value);
  return value;
}

/**
 * Run `fix` only when `test` fails; changed only then (the output carries a marker line).
 * Both are shell text run inside the guest root.
 */
export function converge(name: string, test: string, fix: string): Task {
  return shell({ cmd: `if ${test}; then :; else ${fix} && echo @@shipshape-changed; fi` }, { name, changedWhen: (r) => (r.stdout ?? '').includes('@@shipshape-changed') });
}

/** Packages every hosting guest gets: log summaries, update mails, fail2ban, time sync, locate, bzip2. */
export const BASE_PACKAGES = ['logwatch', 'apticron', 'fail2ban', 'systemd-timesyncd', 'mlocate', 'bzip2'] as const;

export function basePackages(extra: readonly string[] = []): Task[] {
  return [pkg({ name: [...BASE_PACKAGES, ...extra] }, { name: 'base packages' })];
}

/** etckeeper on git: /etc under version control (its package commits the first state). */
export function etckeeper(): Task[] {
  return [
    pkg({ name: ['git', 'etckeeper'] }, { name: 'etckeeper with git' }),
    converge('etckeeper: /etc is a git repository', 'test -d /etc/.git', 'etckeeper init >/dev/null && etckeeper commit -m "initial commit" >/dev/null'),
  ];
}

export interface MuninNodeOptions {
  /** Addresses of the munin masters allowed to poll the node. */
  readonly allow: readonly string[];
}

/** munin-node answering the monitoring host(s) only (`allow ^<ip>$` lines of munin-node.conf). */
export function muninNode(o: MuninNodeOptions): Task[] {
  const allow = o.allow.map((ip) => `allow ^${check('muninNode', 'allow', ip, IPV4, 'an IPv4 address').replace(/\./g, '\\.')}$`);
  return [
    pkg({ name: 'munin-node' }, { name: 'munin-node' }),
    blockinfile({ path: '/etc/munin/munin-node.conf', marker: '# {mark} shipshape monitoring hosts', block: allow.join('\n') }, { name: 'munin-node: monitoring hosts allowed' }),
  ];
}

export interface Exim4SatelliteOptions {
  /** Every mail goes there (`host` or `host::port`). */
  readonly smarthost: string;
  /** Domain shown as the sender's (dc_readhost). @default the guest's /etc/mailname */
  readonly readhost?: string;
}

/** exim4 (light daemon) as a satellite: no local delivery of remote mail, everything to the smarthost. */
export function exim4Satellite(o: Exim4SatelliteOptions): Task[] {
  const smarthost = check('exim4Satellite', 'smarthost', o.smarthost, /^[A-Za-z0-9.-]+(::\d+)?$/, 'a host name, optionally ::port');
  const readhost = o.readhost === undefined ? '' : check('exim4Satellite', 'readhost', o.readhost, HOST, 'a domain name');
  const conf = [
    "dc_eximconfig_configtype='satellite'", "dc_other_hostnames=''", "dc_local_interfaces='127.0.0.1 ; ::1'",
    `dc_readhost='${readhost}'`, "dc_relay_domains=''", "dc_minimaldns='false'", "dc_relay_nets=''",
    `dc_smarthost='${smarthost}'`, "CFILEMODE='644'", "dc_use_split_config='false'", `dc_hide_mailname='${readhost ? 'true' : 'false'}'`,
    "dc_mailname_in_oh='true'", "dc_localdelivery='mail_spool'",
  ].join('\n');
  const stamp = '/var/lib/exim4/.shipshape-update-exim4.conf.sha256';
  return [
    pkg({ name: ['exim4-daemon-light', 'bsd-mailx'] }, { name: 'exim4 and mailx' }),
    copy({ dest: '/etc/exim4/update-exim4.conf.conf', content: `# managed by shipshape (exim4 satellite)\n${conf}\n`, mode: '0644' }, { name: 'exim4: satellite configuration' }),
    converge('exim4: configuration generated', `sha256sum /etc/exim4/update-exim4.conf.conf | cmp -s - ${stamp}`,
      `update-exim4.conf && sha256sum /etc/exim4/update-exim4.conf.conf > ${stamp}`),
  ];
}

export interface NrpeOptions {
  /** Nagios servers allowed to query (allowed_hosts, after 127.0.0.1 and ::1). */
  readonly allowedHosts: readonly string[];
}

export function nrpe(o: NrpeOptions): Task[] {
  const hosts = o.allowedHosts.map((h) => check('nrpe', 'allowedHosts', h, HOST, 'an address or host name'));
  return [
    pkg({ name: 'nagios-nrpe-server' }, { name: 'nagios-nrpe-server' }),
    lineinfile({ path: '/etc/nagios/nrpe.cfg', regexp: '^allowed_hosts=', line: `allowed_hosts=${['127.0.0.1', '::1', ...hosts].join(',')}` }, { name: 'nrpe: allowed hosts' }),
  ];
}

/** The system locale: generated and set as LANG (e.g. 'en_US.UTF-8'). */
export function locale(lang: string): Task[] {
  const l = check('locale', 'lang', lang, /^[a-z]{2,3}_[A-Z]{2}\.UTF-8$/, "a UTF-8 locale such as 'en_US.UTF-8'");
  const short = l.replace('.UTF-8', '.utf8');
  return [
    pkg({ name: 'locales' }, { name: 'locales' }),
    lineinfile({ path: '/etc/locale.gen', regexp: `^#? *${l.replace('.', '\\.')} UTF-8`, line: `${l} UTF-8` }, { name: `locale ${l} enabled` }),
    converge(`locale ${l} generated`, `locale -a | grep -qx ${quote(short)}`, 'locale-gen >/dev/null'),
    lineinfile({ path: '/etc/default/locale', regexp: '^LANG=', line: `LANG=${l}`, create: true }, { name: `LANG=${l}` }),
  ];
}

/** The time zone (tzdata name such as 'Europe/Berlin'): /etc/localtime and /etc/timezone. */
export function timezone(zone: string): Task[] {
  const z = check('timezone', 'zone', zone, /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/, "a tz name such as 'Europe/Berlin'");
  return [
    file({ path: '/etc/localtime', state: 'link', src: `/usr/share/zoneinfo/${z}` }, { name: `time zone ${z}` }),
    copy({ dest: '/etc/timezone', content: `${z}\n`, mode: '0644' }, { name: '/etc/timezone' }),
  ];
}

/** root's mail (cron, logwatch, apticron, rkhunter) forwarded to the operators. */
export function rootAliases(to: string): Task[] {
  const t = check('rootAliases', 'to', to, MAIL, 'a mail address');
  return [lineinfile({ path: '/etc/aliases', regexp: '^root:', line: `root: ${t}`, create: true }, { name: `mail for root to ${t}` })];
}

/** A mail to `to` at every interactive root login over SSH (from root's .bashrc). */
export function loginAlert(to: string): Task[] {
  const t = check('loginAlert', 'to', to, MAIL, 'a mail address');
  const block = [
    'if [ -n "$SSH_CONNECTION" ] && [ -n "$PS1" ]; then',
    `  printf 'Root shell on %s at %s from %s\\n' "$(hostname -f)" "$(date)" "\${SSH_CONNECTION%% *}" | mail -s "Root login on $(hostname -f)" ${quote(t)}`,
    'fi',
  ].join('\n');
  return [blockinfile({ path: '/root/.bashrc', marker: '# {mark} shipshape login alert', block, create: true }, { name: 'login alert mail' })];
}

/** rkhunter, its file properties database built once everything else is installed (so it goes last). */
export function rkhunter(): Task[] {
  return [
    pkg({ name: 'rkhunter' }, { name: 'rkhunter' }),
    converge('rkhunter: properties database', 'test -s /var/lib/rkhunter/db/rkhunter.dat', 'rkhunter --propupd --nocolors >/dev/null'),
  ];
}

export interface HostingRolesOptions {
  /** Operators' mailbox: root's aliases and the login alert. */
  readonly adminMail: string;
  readonly smarthost: string;
  /** Munin master(s). */
  readonly monitoring: readonly string[];
  /** Nagios server(s) for NRPE. @default monitoring */
  readonly nagios?: readonly string[];
  /** @default 'en_US.UTF-8' */
  readonly locale?: string;
  /** @default 'Europe/Berlin' */
  readonly timezone?: string;
  readonly extraPackages?: readonly string[];
}

/** Every role of a hosting guest in the operators' order; rkhunter last. */
export function hostingRoles(o: HostingRolesOptions): Task[] {
  return [
    ...locale(o.locale ?? 'en_US.UTF-8'),
    ...timezone(o.timezone ?? 'Europe/Berlin'),
    ...basePackages(o.extraPackages),
    ...etckeeper(),
    ...exim4Satellite({ smarthost: o.smarthost }),
    ...rootAliases(o.adminMail),
    ...loginAlert(o.adminMail),
    ...muninNode({ allow: o.monitoring }),
    ...nrpe({ allowedHosts: o.nagios ?? o.monitoring }),
    ...rkhunter(),
  ];
}
