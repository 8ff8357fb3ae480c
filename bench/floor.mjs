// The floor: one ssh2 connection per host, one command reading every file the workload touches.
// usage: node bench/floor.mjs HOSTS.json   (array of {host, port, user, privateKeyPath})
import { readFileSync } from 'node:fs';
import { runOnce } from './floor-ssh.mjs';

const FILES = '/etc/ssh/sshd_config /etc/motd /etc/profile /etc/aliases /etc/cron.d/bench-backup';
const DIRS = '/srv/bench/dir1 /srv/bench/dir2 /srv/bench/dir3 /srv/bench/dir4 /srv/bench/dir5';
const hosts = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const COMMAND = `cat ${FILES} 2>/dev/null; stat -c '%a %U %G' ${DIRS} 2>/dev/null; true`;
const bytes = (await Promise.all(hosts.map((h) => runOnce(h, COMMAND)))).map((r) => r.bytes);
console.log(JSON.stringify({ hosts: hosts.length, bytes: bytes.reduce((a, b) => a + b, 0) }));
