import type { Readable, Writable } from 'node:stream';
import type { Connection, Host, Secret } from '@shipshape/core';

/** A directory on a host reached through its shipshape connection (SSH or local). */
export interface LocalDestination {
  readonly type: 'local';
  /** The host (or its connection) that holds the directory. */
  readonly on: Host | Connection;
  /** Absolute path of the directory on that host. */
  readonly path: string;
}

/** A directory on an SFTP server (ssh2). Host keys are verified against known_hosts by default. */
export interface SftpDestination {
  readonly type: 'sftp';
  /** The SFTP server's name or address. */
  readonly host: string;
  /** @default 22 */
  readonly port?: number;
  /** The user to log in as. */
  readonly user: string;
  /** Password authentication (a `secret()` is masked in output). */
  readonly password?: string | Secret;
  /** A private key (PEM or OpenSSH text) for key authentication. */
  readonly privateKey?: string | Buffer;
  /** A file holding the private key. */
  readonly privateKeyPath?: string;
  /** The known_hosts file the server's host key is checked against. @default ~/.ssh/known_hosts */
  readonly knownHostsFile?: string;
  /** `strict`: only a server key listed in known_hosts; `off`: an unknown key is added, a changed one connects with a warning and without password authentication (OpenSSH's StrictHostKeyChecking no). @default 'strict' */
  readonly hostKeyPolicy?: 'strict' | 'off';
  /** Directory on the server. */
  readonly path: string;
}

/** A directory on an FTP server; `ftps` is explicit FTP over TLS (AUTH TLS). */
export interface FtpDestination {
  readonly type: 'ftp' | 'ftps';
  /** The FTP server's name or address. */
  readonly host: string;
  /** @default 21 */
  readonly port?: number;
  /** The user to log in as. */
  readonly user: string;
  /** The login password (a `secret()` is masked in output). */
  readonly password: string | Secret;
  /** Directory on the server (relative paths start at the login directory). */
  readonly path: string;
  /** TLS settings for ftps: a CA for self-signed servers, or turn verification off. */
  readonly tls?: { readonly ca?: string | Buffer; readonly rejectUnauthorized?: boolean; readonly servername?: string };
  /** Control-connection inactivity timeout. @default 30000 */
  readonly timeoutMs?: number;
}

export type Destination = LocalDestination | SftpDestination | FtpDestination;

export interface DestinationEntry {
  readonly name: string;
  readonly type: 'file' | 'dir' | 'other';
  readonly size: number;
}

/**
 * An open destination. Paths are relative to the destination's directory (`path`), `/`-separated.
 * Missing paths: `list` gives [], `size` gives undefined, `delete` does nothing.
 */
export interface DestinationClient {
  /** For messages, e.g. `ftp://backup@127.77.40.1:21/backups` (never the password). */
  readonly label: string;
  /** Stream a readable into a file (never buffered whole); a failure also destroys `source`. */
  put(path: string, source: Readable): Promise<void>;
  /** Stream a file into a writable (never buffered whole). */
  get(path: string, sink: Writable): Promise<void>;
  list(path?: string): Promise<DestinationEntry[]>;
  size(path: string): Promise<number | undefined>;
  /** SHA-256 (hex) of a file: computed on the server where it can, else by reading it back. */
  checksum(path: string): Promise<string>;
  rename(from: string, to: string): Promise<void>;
  delete(path: string, options?: { readonly recursive?: boolean }): Promise<void>;
  /** Create a directory and its parents; an existing one is fine. */
  mkdir(path: string): Promise<void>;
  close(): Promise<void>;
}
