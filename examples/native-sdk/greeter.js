#!/usr/bin/env node
// A native mesh service: HTTPS with mutual TLS, no sidecar. Only callers the intentions allow get an answer.
// The seed talk's Go example, `connect.NewService("my-service", client)` + `svc.ServerTLSConfig()`, in Node.js.
import { connectService } from '../../dist/sdk/index.js';

const port = Number(process.env.PORT ?? 9443);
const svc = await connectService({ name: 'greeter', agent: process.env.WEFT_HTTP_ADDR ?? 'http://127.0.0.1:8500' });

const server = svc.createHttpsServer((req, res) => {
  // The caller's SPIFFE ID, verified by the TLS handshake against the mesh roots.
  const caller = req.socket.getPeerCertificate().subjectaltname;
  const name = new URL(req.url ?? '/', 'https://greeter').searchParams.get('name') ?? 'mesh';
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ greeting: `hello, ${name}`, caller }));
});
server.listen(port, () => console.log(`greeter (${svc.identity}) listening on port ${port}`));

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    server.close();
    svc.close();
  });
}
