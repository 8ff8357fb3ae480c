// Child process for the memory test: uploads one host file through the controller to a
// destination and prints one JSON line with the result and its own peak RSS (VmHWM).
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
const conn = await sshConnect('src', connection);
try {
  const result = await store(dest, name, fromHostFile(conn, path), { via: 'controller', verify: 'checksum' });
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1];
  process.stdout.write(`${JSON.stringify({ result, peakRssKb: Number(hwm) })}\n`);
} finally {
  await conn.close();
}
