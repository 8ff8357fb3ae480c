import { describe, expect, it } from '@jest/globals';
import type { FtpDestination } from '../types.js';
import { ftpSourceCommand, ftpUrl, lftpQuote } from './source-side.js';

const spec: FtpDestination = { type: 'ftp', host: 'nas', port: 2121, user: 'back"up', password: 'p@ss "w0rd"', path: '/b' };

describe('source-side FTP upload commands', () => {
  it('lftp: password only in the environment, every word quoted for lftp and for sh', () => {
    const c = ftpSourceCommand(spec, 'p@ss "w0rd"', new Set(['lftp', 'curl']), "/var/dump/a b'c.tar", '/b/daily.staging/a b\'c.tar')!;
    expect(c.tool).toBe('lftp');
    expect(c.env).toEqual({ LFTP_PASSWORD: 'p@ss "w0rd"' });
    expect(c.command.text).not.toContain('w0rd');
    expect(c.command.text).toBe(
      `lftp -c 'set cmd:fail-exit yes; set net:max-retries 1; set net:timeout 20; set ftp:ssl-allow no; ` +
        `open -u "back\\"up" --env-password -p 2121 "nas"; put "/var/dump/a b'\\''c.tar" -o "/b/daily.staging/a b'\\''c.tar"'`,
    );
  });

  it('curl when there is no lftp: credentials on stdin (-K -), absolute path as %2F', () => {
    const c = ftpSourceCommand({ ...spec, type: 'ftps', tls: { rejectUnauthorized: false } }, 'pw', new Set(['curl']), '/d/x.tar', '/b/x y.tar')!;
    expect(c.tool).toBe('curl');
    expect(c.stdin).toBe('user = "back\\"up:pw"\n');
    expect(c.command.text).toBe('curl -sS --fail --ssl-reqd -k -K - -T /d/x.tar ftp://nas:2121/%2Fb/x%20y.tar');
  });

  it('no tool, or FTPS with a CA only the controller has: undefined (stream through the controller)', () => {
    expect(ftpSourceCommand(spec, 'pw', new Set(), '/d/x', '/b/x')).toBeUndefined();
    expect(ftpSourceCommand({ ...spec, type: 'ftps', tls: { ca: 'PEM' } }, 'pw', new Set(['lftp']), '/d/x', '/b/x')).toBeUndefined();
  });

  it('helpers', () => {
    expect(lftpQuote('a\\b"c')).toBe('"a\\\\b\\"c"');
    expect(ftpUrl({ ...spec, host: 'fe80::1' }, 'rel/p')).toBe('ftp://[fe80::1]:2121/rel/p');
  });
});
