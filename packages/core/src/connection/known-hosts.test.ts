import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { checkHostKey, knownHostsName } from './known-hosts.js';

const key = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIHDZZc3kXF5T0h1baBch66HCAYNgM/gXZFoOV17xsmu/', 'base64');
const other = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIOq9Gm7AbGgZ5Zx0ngCjY1X4k8vbX2p3aXJt1y3mQxQe', 'base64');
const line = (name: string, k: Buffer) => `${name} ssh-ed25519 ${k.toString('base64')}`;

describe('known_hosts verification', () => {
  it('names non-22 ports in brackets', () => {
    expect(knownHostsName('10.0.0.1', 22)).toBe('10.0.0.1');
    expect(knownHostsName('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
  });
  it('matches, mismatches and misses', () => {
    expect(checkHostKey(line('h1,10.0.0.1', key), '10.0.0.1', key)).toBe('match');
    expect(checkHostKey(line('10.0.0.1', other), '10.0.0.1', key)).toBe('mismatch');
    expect(checkHostKey(line('10.0.0.2', key), '10.0.0.1', key)).toBe('unknown');
  });
  it('understands hashed names', () => {
    const salt = Buffer.from('0123456789abcdef0123');
    const hash = createHmac('sha1', salt).update('[h]:2222').digest('base64');
    expect(checkHostKey(line(`|1|${salt.toString('base64')}|${hash}`, key), '[h]:2222', key)).toBe('match');
  });
  it('treats @revoked keys as a mismatch', () => {
    expect(checkHostKey(`@revoked ${line('h', key)}\n${line('h', key)}`, 'h', key)).toBe('mismatch');
  });
});
