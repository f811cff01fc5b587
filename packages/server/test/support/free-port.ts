import net from 'node:net';

/**
 * A loopback port free right now (the OS picks it; the listener is closed before returning), for a child
 * process or server that must be told its port up front. Another process could take it in between: use
 * port 0 instead wherever the server can report the port it got.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
