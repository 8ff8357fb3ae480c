// Child process for the memory test: uploads one host file through the controller to a
// destination and prints one JSON line: the result, RSS before the transfer, peak RSS (VmHWM).
// Usage: node --import tsx upload-child.ts '<json {connection, path, dest, name}>'
import { readFileSync } from 'node:fs';
import { sshConnect, type ConnectionSpec } from '@shipshape/core';
import { fromHostFile, store, type Destination } from '@shipshape/storage';

const { connection, path, dest, name } = JSON.parse(process.argv[2]!) as {
  connection: ConnectionSpec;
  path: string;
  dest: Destination;
  name: string;
};
const status = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))![1]);
const conn = await sshConnect('src', connection);
const baselineKb = status('VmRSS'); // modules loaded, connected, nothing transferred yet
try {
  const result = await store(dest, name, fromHostFile(conn, path), { via: 'controller', verify: 'checksum' });
  process.stdout.write(`${JSON.stringify({ result, baselineKb, peakRssKb: status('VmHWM') })}\n`);
} finally {
  await conn.close();
}
