import { FtpClient } from './backends/ftp.js';
import { LocalDirClient } from './backends/local.js';
import { SftpClient } from './backends/sftp.js';
import type { Destination, DestinationClient } from './types.js';

/**
 * Open a destination: `local` (a directory on a host), `sftp`, `ftp` or `ftps`. Close it when done.
 * @example
 * const nas = await openDestination({ type: 'ftp', host: 'nas', user: 'backup', password: secret(pw), path: '/vz' });
 * try { console.log(await nas.list()); } finally { await nas.close(); }
 */
export async function openDestination(dest: Destination): Promise<DestinationClient> {
  switch (dest.type) {
    case 'local':
      return new LocalDirClient(dest);
    case 'sftp':
      return SftpClient.open(dest);
    case 'ftp':
    case 'ftps':
      return FtpClient.open(dest);
  }
}

/** Use a destination (a spec is opened and closed around `fn`; an open client is left open). */
export async function withDestination<T>(dest: Destination | DestinationClient, fn: (c: DestinationClient) => Promise<T>): Promise<T> {
  if (!('type' in dest)) return fn(dest);
  const client = await openDestination(dest);
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}
