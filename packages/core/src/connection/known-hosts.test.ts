import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { checkHostKey, entriesFor, knownHostsName, matchHostPatterns, preferKnownTypes } from './known-hosts.js';

/** fixtures/host-patterns.json: [name, pattern list, whether OpenSSH's match_hostname accepts it]. */
const CASES = JSON.parse(readFileSync(new URL('./fixtures/host-patterns.json', import.meta.url), 'utf8')) as { patterns: [string, string, boolean][] };
const key = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIHDZZc3kXF5T0h1baBch66HCAYNgM/gXZFoOV17xsmu/', 'base64');
const other = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIOq9Gm7AbGgZ5Zx0ngCjY1X4k8vbX2p3aXJt1y3mQxQe', 'base64');
const line = (name: string, k: Buffer) => `${name} ssh-ed25519 ${k.toString('base64')}`;
const verdict = (text: string, name: string, k = key) => checkHostKey(entriesFor(text, 'kh', name), k).status;

describe('known_hosts as OpenSSH reads it', () => {
  it('names hosts lowercase, in brackets off port 22', () => {
    expect(knownHostsName('Web1.LAN', 22)).toBe('web1.lan');
    expect(knownHostsName('10.0.0.1', 2222)).toBe('[10.0.0.1]:2222');
  });

  it.each(CASES.patterns)('%s against %s: %s', (name, list, expected) => {
    expect(matchHostPatterns(name, list)).toBe(expected);
  });

  it('matches, changes and misses', () => {
    expect(verdict(line('h1,10.0.0.1', key), '10.0.0.1')).toBe('ok');
    expect(verdict(line('10.0.0.1', other), '10.0.0.1')).toBe('changed');
    expect(verdict(`${line('10.0.0.1', other)}\n${line('10.0.0.*', key)}`, '10.0.0.1')).toBe('ok');
    expect(verdict(line('10.0.0.2', key), '10.0.0.1')).toBe('new');
  });

  it('understands hashed names and skips malformed ones', () => {
    const salt = Buffer.from('0123456789abcdef0123');
    const hash = createHmac('sha1', salt).update('[h]:2222').digest('base64');
    expect(verdict(line(`|1|${salt.toString('base64')}|${hash}`, key), '[h]:2222')).toBe('ok');
    expect(verdict(line(`|1|${salt.toString('base64')}|${hash}`, key), 'h')).toBe('new');
    expect(verdict(line(`|1|c2hvcnQ=|${hash}`, key), '[h]:2222')).toBe('new');
  });

  it('refuses a revoked key whatever else matches, also through a wildcard', () => {
    expect(verdict(`${line('h', key)}\n@revoked ${line('*', key)}`, 'h')).toBe('revoked');
    expect(verdict(`@revoked ${line('*', other)}\n${line('h', key)}`, 'h')).toBe('ok');
  });

  it('never takes a @cert-authority line for the host key; skips unknown markers and mislabelled keys', () => {
    expect(verdict(`@cert-authority ${line('*', key)}`, 'h')).toBe('new');
    expect(verdict(`@trusted ${line('h', key)}`, 'h')).toBe('new');
    expect(verdict(`h ssh-rsa ${key.toString('base64')}`, 'h')).toBe('new');
  });

  it('asks for known key types first', () => {
    const entries = entriesFor('h ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAAQE=', 'kh', 'h');
    expect(preferKnownTypes(['ssh-ed25519', 'rsa-sha2-512', 'ssh-rsa'], entries)).toEqual(['rsa-sha2-512', 'ssh-rsa', 'ssh-ed25519']);
  });
});
