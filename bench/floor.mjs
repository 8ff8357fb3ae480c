// The floor: one ssh2 connection per host, one command reading every file the workload touches.
// usage: node bench/floor.mjs HOSTS.json   (array of {host, port, user, privateKeyPath})
import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';

const FILES = '/etc/ssh/sshd_config /etc/motd /etc/profile /etc/aliases /etc/cron.d/bench-backup';
const DIRS = '/srv/bench/dir1 /srv/bench/dir2 /srv/bench/dir3 /srv/bench/dir4 /srv/bench/dir5';
const hosts = JSON.parse(readFileSync(process.argv[2], 'utf8'));

function one(h) {
  return new Promise((resolve, reject) => {
    const c = new ssh2.Client();
    c.on('ready', () =>
      c.exec(`cat ${FILES} 2>/dev/null; stat -c '%a %U %G' ${DIRS} 2>/dev/null; true`, (err, s) => {
        if (err) return reject(err);
        let n = 0;
        s.on('data', (d) => (n += d.length)).on('close', () => {
          c.end();
          resolve(n);
        });
        s.stderr.resume();
      }),
    ).on('error', reject);
    // Hundreds of handshakes at once on a loaded machine outlast ssh2's default 20 s: a floor waits.
    c.connect({ host: h.host, port: h.port, username: h.user, privateKey: readFileSync(h.privateKeyPath), readyTimeout: 180_000 });
  });
}
const bytes = await Promise.all(hosts.map(one));
console.log(JSON.stringify({ hosts: hosts.length, bytes: bytes.reduce((a, b) => a + b, 0) }));
