// The write floor: one ssh2 connection per host, one command writing the final state of everything the
// workload changes (bytes, modes, owners, directories), each file atomically (temp file with its final mode
// from the umask before the first byte, then rename over the target).
// usage: node bench/write-floor.mjs HOSTS.json STATE.json
//   HOSTS.json: [{host, port, user, privateKeyPath}]
//   STATE.json: {dirs: [{path, mode, uid, gid}], files: [{path, mode, uid, gid, base64}]} (modes octal strings)
import { readFileSync } from 'node:fs';
import { runOnce } from './floor-ssh.mjs';

const quote = (s) => `'${s.replaceAll("'", `'\\''`)}'`;

/** The one command: shell builtins except `mkdir`, `mv` per file and `chown` only where the owner is not root. */
export function writeScript(state) {
  const lines = ['set -eC'];
  const chown = (x, p) => (x.uid !== 0 || x.gid !== 0 ? [`chown ${x.uid}:${x.gid} ${quote(p)}`] : []);
  for (const d of state.dirs) lines.push(`mkdir -p -m ${d.mode} ${quote(d.path)}`, ...chown(d, d.path));
  for (const f of state.files) {
    const bytes = Buffer.from(f.base64, 'base64');
    const text = bytes.toString('utf8');
    if (bytes.includes(0) || !Buffer.from(text, 'utf8').equals(bytes)) throw new Error(`write floor: ${f.path} is not NUL-free UTF-8, which the command text cannot carry`);
    const mode = parseInt(f.mode, 8);
    if (mode > 0o777) throw new Error(`write floor: ${f.path} mode ${f.mode} needs chmod, not a umask`);
    const tmp = `${f.path}.floor-tmp`;
    lines.push(`umask ${(~mode & 0o777).toString(8).padStart(4, '0')}`, `printf %s ${quote(text)} > ${quote(tmp)}`, ...chown(f, tmp), `mv -f ${quote(tmp)} ${quote(f.path)}`);
  }
  return `${lines.join('\n')}\n`;
}

async function one(h, script) {
  const r = await runOnce(h, script);
  if (r.code !== 0) throw new Error(`write floor: ${h.host}:${h.port} exited ${r.code}: ${r.stderr.slice(0, 500)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const hosts = JSON.parse(readFileSync(process.argv[2], 'utf8'));
  const script = writeScript(JSON.parse(readFileSync(process.argv[3], 'utf8')));
  await Promise.all(hosts.map((h) => one(h, script)));
  console.log(JSON.stringify({ hosts: hosts.length, bytes: script.length }));
}
