#!/usr/bin/env node
// The "counting" service of the seed talk: every GET / answers the next number.
import { createServer } from 'node:http';
import { hostname } from 'node:os';

const port = Number(process.env.PORT ?? 9001);
let count = 0;

// Listens on every interface, as the talk's service does: "localhost" in the check may be 127.0.0.1 or ::1.
createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end("Hello, you've hit /health\n");
    return;
  }
  count += 1;
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ count, hostname: hostname() }));
}).listen(port, () => console.log(`counting service listening on port ${port}`));
