import { createHash } from 'node:crypto';

/**
 * A MAC in Xen's `00:16:3e` range derived from the guest name and IP (sha256), so reruns
 * compute the same address and cfg edits do not churn.
 * @example guestMac('web01', '203.0.113.7') // '00:16:3e:..:..:..', same every time
 */
export function guestMac(guest: string, ip: string): string {
  const h = createHash('sha256').update(`${guest}\0${ip}`).digest();
  return ['00', '16', '3e', ...[h[0]!, h[1]!, h[2]!].map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

/** MACs compare case-insensitively (xen-tools writes upper case). */
export function sameMac(a: string | undefined, b: string | undefined): boolean {
  return (a ?? '').toLowerCase() === (b ?? '').toLowerCase();
}
