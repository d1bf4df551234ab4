#!/usr/bin/env node
// A serverless function in the mesh (the seed talk's Lambda integration): it gets its certificate
// from the agent (an internal load balancer in front of the agents, in the talk) and calls mesh
// services over mutual TLS directly, with no sidecar.
//
//   node function.js '{"name": "lambda"}'                      # calls greeter (native)
//   node function.js '{"service": "counting", "path": "/"}'    # calls a service behind a sidecar
import { request } from 'node:http';
import { connectService } from '../../dist/sdk/index.js';

// Created once per container and reused by warm invocations, as a Lambda would.
let svc;

export async function handler(event = {}) {
  svc ??= await connectService({ name: 'lambda', agent: process.env.WEFT_HTTP_ADDR ?? 'http://127.0.0.1:8500' });
  const service = event.service ?? 'greeter';
  const path = event.path ?? `/hello?name=${encodeURIComponent(event.name ?? 'lambda')}`;
  try {
    // Plain HTTP on a connection the agent dials: mutual TLS to a verified instance of `service`.
    const body = await new Promise((resolve, reject) => {
      const req = request({ agent: svc.httpAgent(service, { keepAlive: false }), host: service, path }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    return { statusCode: 200, body };
  } catch (err) {
    return { statusCode: 502, body: JSON.stringify({ error: err.message }) };
  }
}

// Run directly: one invocation with the event from argv, then exit.
if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await handler(JSON.parse(process.argv[2] ?? '{}'));
  console.log(JSON.stringify(result));
  svc?.close();
}
