/** The "Installation Summary" block xen-create-image prints and logs (docs/platforms/xen.md, log and summary). */
import { secret, type Secret } from '@shipshape/core';

export interface InstallSummary {
  readonly hostname?: string;
  readonly distribution?: string;
  readonly mac?: string;
  /** Empty for DHCP guests (`dynamic`). */
  readonly ips: readonly string[];
  readonly dhcp: boolean;
  /** `SHA256:... (ECDSA)` lines (4.6+), or the single RSA fingerprint of 4.2-4.5. */
  readonly fingerprints: readonly string[];
  /** A Secret: every output of a run shows it as `********`. Absent for `N/A`. */
  readonly rootPassword?: Secret;
}

/**
 * Parse the last Installation Summary of a xen-create-image log or console output.
 * @example parseInstallSummary(logText).rootPassword?.value // only where the caller asks for it
 */
export function parseInstallSummary(text: string): InstallSummary | undefined {
  const start = text.lastIndexOf('Installation Summary');
  if (start < 0) return undefined;
  const fields: [string, string][] = [];
  for (const line of text.slice(start).split('\n').slice(1)) {
    const m = /^([A-Za-z() ]+?)\s*:\s{2}(.*)$/.exec(line);
    if (m) fields.push([m[1]!, m[2]!]);
  }
  const get = (k: string) => fields.find(([n]) => n === k)?.[1];
  const ipText = get('IP Address(es)') ?? '';
  const password = get('Root Password');
  return {
    hostname: get('Hostname')?.trim(),
    distribution: get('Distribution')?.trim(),
    mac: get('MAC Address')?.trim(),
    dhcp: ipText.trim() === 'dynamic',
    ips: ipText.trim() === 'dynamic' ? [] : ipText.split(/\s+/).filter(Boolean),
    fingerprints: fields.filter(([n]) => n === 'SSH Fingerprint' || n === 'RSA Fingerprint').map(([, v]) => v.trim()),
    rootPassword: password && password !== 'N/A' ? secret(password) : undefined,
  };
}
