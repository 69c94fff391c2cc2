/**
 * The interception benchmark's floor: a bare `node:http` server in a process of its own that reads each request
 * and answers a fixed small JSON body, doing nothing else (no framework, no signature, no Redis). Driven by the
 * same load process at the same rates as the adapter, its p99 is what any Node.js server answering that load
 * on this machine cannot go below, whatever the hub does. Prints `PORT <n>` once listening; stops on SIGTERM.
 */
import http from 'node:http';

const BODY = '{"restricted":false}';
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': BODY.length });
    res.end(BODY);
  });
});
server.keepAliveTimeout = 120_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the floor server is not listening');
  process.stdout.write(`PORT ${address.port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
