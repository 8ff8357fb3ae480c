import { describe, expect, it } from '@jest/globals';
import { maskSecrets } from '@shipshape/core';
import { parseQueueUrl } from './url.js';

describe('parseQueueUrl', () => {
  it('reads user, password, host, port and db; the password is masked from then on', () => {
    const t = parseQueueUrl('redis://ops:p%40ss@10.0.0.5:6380/2');
    expect(t.options).toMatchObject({ host: '10.0.0.5', port: 6380, db: 2, username: 'ops', password: 'p@ss', maxRetriesPerRequest: null });
    expect(t.options.tls).toBeUndefined();
    expect(t.shown).toBe('redis://ops:********@10.0.0.5:6380/2');
    expect(maskSecrets('auth p@ss')).toBe('auth ********');
  });
  it('defaults the port and db; rediss:// turns TLS on with the host as server name', () => {
    expect(parseQueueUrl('rediss://cache.example').options).toMatchObject({ host: 'cache.example', port: 6379, db: 0, tls: { servername: 'cache.example' } });
  });
  it('rediss:// to an address sends no server name (SNI takes names only); --queue-ca replaces the trusted CAs', () => {
    expect(parseQueueUrl('rediss://10.0.0.5:6390', { ca: 'PEM' }).options.tls).toEqual({ ca: 'PEM' });
    expect(() => parseQueueUrl('redis://10.0.0.5', { ca: 'PEM' })).toThrow('--queue-ca is for a TLS server: give a rediss:// URL');
  });
  it.each([
    ['http://h:1', 'the scheme must be redis or rediss, not http'],
    ['redis://h:1/x', 'the database must be a number, not "x"'],
    ['not a url', 'not a URL'],
  ])('refuses %s', (url, why) => {
    expect(() => parseQueueUrl(url)).toThrow(why);
  });
  it('never shows the password of a bad URL', () => {
    expect(() => parseQueueUrl('redis://u:hunter2@h:1/x')).toThrow('redis://u:********@h:1/x');
  });
});
