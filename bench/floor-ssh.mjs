// What both floors do on a host: one ssh2 connection, one command, its output. Like shipshape, it does not
// ask sshd to prove the host keys it announces after authentication (hostkeys-00@openssh.com), which bare
// ssh2 does for every connection (a round trip, a signature per key on the host, a verification each here).
import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';

/** Run `command` on host `h` ({host, port, user, privateKeyPath}): {code, bytes (stdout length), stderr}. */
export function runOnce(h, command) {
  return new Promise((resolve, reject) => {
    const c = new ssh2.Client();
    c.on('ready', () =>
      c.exec(command, (err, s) => {
        if (err) return reject(err);
        let bytes = 0;
        let stderr = '';
        s.on('data', (d) => (bytes += d.length));
        s.stderr.on('data', (d) => (stderr += d));
        s.on('close', (code) => {
          c.end();
          resolve({ code, bytes, stderr });
        });
      }),
    ).on('error', reject);
    // Hundreds of handshakes at once on a loaded machine outlast ssh2's default 20 s: a floor waits.
    c.connect({ host: h.host, port: h.port, username: h.user, privateKey: readFileSync(h.privateKeyPath), readyTimeout: 180_000 });
    const handlers = c._protocol?._handlers;
    const ssh2Handler = handlers?.GLOBAL_REQUEST;
    if (typeof ssh2Handler === 'function') {
      handlers.GLOBAL_REQUEST = (p, name, wantReply, data) => {
        if (name !== 'hostkeys-00@openssh.com') return ssh2Handler(p, name, wantReply, data);
        if (wantReply) p.requestSuccess();
      };
    }
  });
}
