/**
 * Commands that upload a file from the source host itself (no bytes through the controller):
 * lftp or curl for FTP/FTPS (docs/platforms/proxmox.md, "Off-site upload"), cp when the destination is on the same host.
 * Passwords go through the environment (lftp --env-password) or stdin (curl -K -), never argv.
 */
import { sh, type Command } from '@shipshape/core';
import type { FtpDestination } from '../types.js';

export interface SourceSideCommand {
  readonly tool: 'lftp' | 'curl' | 'cp';
  readonly command: Command;
  readonly env?: Readonly<Record<string, string>>;
  readonly stdin?: string;
}

/** Quote one word for lftp's command parser (double quotes, backslash escapes). */
export function lftpQuote(s: string): string {
  return `"${s.replace(/["\\]/g, '\\$&')}"`;
}

/** Double-quoted value for a curl config file (`-K`). */
function curlConfigQuote(s: string): string {
  return `"${s.replace(/["\\]/g, '\\$&').replace(/\n/g, '\\n')}"`;
}

/** `ftp://host:port/` URL of an absolute or login-relative server path (`%2F` marks an absolute one). */
export function ftpUrl(spec: FtpDestination, serverPath: string): string {
  const enc = serverPath.split('/').map(encodeURIComponent).join('/');
  const path = serverPath.startsWith('/') ? `%2F${enc.slice(1)}` : enc;
  return `ftp://${spec.host.includes(':') ? `[${spec.host}]` : spec.host}:${spec.port ?? 21}/${path}`;
}

/**
 * The upload command for the first tool the host has, or undefined.
 * `serverPath` is the target path as the FTP server sees it.
 */
export function ftpSourceCommand(
  spec: FtpDestination,
  password: string,
  tools: ReadonlySet<string>,
  localPath: string,
  serverPath: string,
): SourceSideCommand | undefined {
  const insecure = spec.tls?.rejectUnauthorized === false;
  if (spec.type === 'ftps' && spec.tls?.ca && !insecure) return undefined; // the CA lives on the controller
  if (tools.has('lftp')) {
    const settings = [
      'set cmd:fail-exit yes',
      'set net:max-retries 1',
      'set net:timeout 20',
      ...(spec.type === 'ftps'
        ? ['set ftp:ssl-force yes', 'set ftp:ssl-protect-data yes', `set ssl:verify-certificate ${insecure ? 'no' : 'yes'}`]
        : ['set ftp:ssl-allow no']),
    ];
    const script = [
      ...settings,
      `open -u ${lftpQuote(spec.user)} --env-password -p ${spec.port ?? 21} ${lftpQuote(spec.host)}`,
      `put ${lftpQuote(localPath)} -o ${lftpQuote(serverPath)}`,
    ].join('; ');
    return { tool: 'lftp', command: sh`lftp -c ${script}`, env: { LFTP_PASSWORD: password } };
  }
  if (tools.has('curl')) {
    const tls = spec.type === 'ftps' ? sh` --ssl-reqd${insecure ? sh` -k` : sh``}` : sh``;
    return {
      tool: 'curl',
      command: sh`curl -sS --fail${tls} -K - -T ${localPath} ${ftpUrl(spec, serverPath)}`,
      stdin: `user = ${curlConfigQuote(`${spec.user}:${password}`)}\n`,
    };
  }
  return undefined;
}

/** Same-host copy for a local destination on the source's own connection. */
export function copyCommand(localPath: string, targetPath: string): SourceSideCommand {
  return { tool: 'cp', command: sh`cp ${localPath} ${targetPath}` };
}

/** A destination client that can take an upload straight from the source host. */
export interface SourceSideCapable {
  sourceSideCommand(from: import('@shipshape/core').Connection, tools: ReadonlySet<string>, localPath: string, path: string): SourceSideCommand | undefined;
}

export function isSourceSideCapable(c: object): c is SourceSideCapable {
  return typeof (c as Partial<SourceSideCapable>).sourceSideCommand === 'function';
}
