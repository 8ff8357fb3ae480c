import net from 'node:net';

/** True when `address:port` can be listened on now. */
function canListen(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: address, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Ports tried in order: 22, then fallbacks for machines whose own sshd listens on 0.0.0.0:22. */
export const PORT_CANDIDATES = [22, 2222, 10022];

/**
 * The sshd port of a lab: 22 unless something on the machine already holds it for our
 * addresses (an sshd on the wildcard address does), then the first free fallback.
 */
export async function pickPort(address: string): Promise<number> {
  for (const port of PORT_CANDIDATES) {
    if (await canListen(address, port)) {
      if (port !== 22) process.stderr.write(`testlab: port 22 is taken on ${address} (a machine sshd on 0.0.0.0:22?); lab hosts use port ${port}\n`);
      return port;
    }
  }
  return 22;
}
