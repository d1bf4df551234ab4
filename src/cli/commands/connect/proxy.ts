import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { createLogger, subsystem } from '../../../lib/log.js';
import { ProxyStack, SelfRegistration, boundSidecarHeap, fetchSnapshot, followSnapshots, startAdminServer } from '../../../proxy/index.js';
import { apiClient } from '../../client.js';
import { defineCommand, type CommandIO } from '../../command.js';
import { flag } from '../../flags.js';
import { httpFlags } from '../../http-flags.js';
import { listenParts, resolveTarget } from './proxy-target.js';

const LEVELS = { trace: 'trace', debug: 'debug', info: 'info', warn: 'warn', err: 'error', error: 'error' } as const;

function stdoutStream(io: CommandIO): Writable {
  return new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      io.stdout(String(chunk));
      cb();
    },
  });
}

function untilAborted(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise(() => undefined);
  return signal.aborted ? Promise.resolve() : new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

export const connectProxyCommand = defineCommand({
  name: 'connect proxy',
  synopsis: 'Runs a Connect proxy',
  help: `
    Starts the built-in Connect proxy and runs until an interrupt is received.
    The proxy accepts mutual-TLS connections for a service (authorizing each by
    intentions) and wraps outbound connections to upstream services, so an app
    that knows nothing of the mesh can use it. It needs service:write on the
    service it represents.

    As the sidecar of a registered service (everything comes from the
    registration's connect { sidecar_service {} } block):

        $ weft connect proxy -sidecar-for web

    Masquerading as "web" to reach "postgresql" on local port 8181, without
    registering anything:

        $ weft connect proxy -service web -upstream postgresql:8181

    Accepting inbound connections on :8443 for an app on 127.0.0.1:8080, and
    registering as web-proxy with a TTL check:

        $ weft connect proxy -service web -service-addr 127.0.0.1:8080 \\
            -listen :8443 -register

    When a service's protocol is http, http2 or grpc (service-defaults or
    proxy-defaults), the proxy works per request: upstreams are routed, split,
    retried and balanced by their discovery chain, and the public listener
    checks L7 intentions (see docs/l7-proxy.md). Other services are proxied
    as TCP connections.

    Prometheus metrics are served on -metrics-addr (or the registration's
    Proxy.Config.envoy_prometheus_bind_addr) at /metrics.
  `,
  flags: {
    ...httpFlags,
    'proxy-id': flag.string("The proxy's ID on the local agent."),
    'sidecar-for': flag.string(
      'The ID of a service instance on the local agent that this proxy should become a sidecar for. It requires that the proxy ' +
        'service is registered with the agent as a connect-proxy with Proxy.DestinationServiceID set to this value. If more than ' +
        'one such proxy is registered it will fail.',
    ),
    'log-level': flag.string('Specifies the log level.', 'INFO'),
    'log-json': flag.bool('Output logs in JSON format.'),
    service: flag.string('Name of the service this proxy is representing.'),
    upstream: flag.list(
      "Upstream service to support connecting to. The format should be 'name:addr', such as 'db:8181'. This will make 'db' " +
        'available on port 8181. This can be repeated multiple times.',
    ),
    'service-addr': flag.string('Address of the local service to proxy. Only useful if -listen and -service are both set.'),
    listen: flag.string('Address to listen for inbound connections to the proxied service. Must be specified with -service and -service-addr.'),
    register: flag.bool('Self-register with the local agent. Only useful with -listen.'),
    'register-id': flag.string('ID suffix for the service. Use this to disambiguate with other proxies.'),
    'metrics-addr': flag.string('host:port to serve Prometheus metrics (/metrics) and readiness (/ready) on. A Weft addition.'),
  },
  async run({ flags, args, io }) {
    if (args.length > 0) return (io.stderr('Should have no non-flag arguments.\n'), 1);
    const level = LEVELS[flags['log-level'].toLowerCase() as keyof typeof LEVELS];
    if (!level) return (io.stderr(`Invalid log level: ${flags['log-level']}\n`), 1);
    if (flags.register && (!flags.service || !flags.listen)) return (io.stderr('Failed initializing registration: -register may only be specified with -service and -listen\n'), 1);
    // First: undici's HTTP parser (WebAssembly) is compiled at the first upstream connection, under the flags set here.
    const unboundHeap = boundSidecarHeap();
    const log = subsystem(createLogger({ level, json: flags['log-json'], destination: stdoutStream(io) }), 'proxy');
    const client = apiClient(flags, io);
    const stop = new AbortController();
    io.signal?.addEventListener('abort', () => stop.abort(), { once: true });
    const stack = new ProxyStack(log);
    let admin: Server | null = null;
    let registration: SelfRegistration | null = null;
    try {
      let resolved;
      let first;
      try {
        resolved = await resolveTarget(client, {
          proxyId: flags['proxy-id'] || io.env.CONNECT_PROXY_ID || '',
          sidecarFor: flags['sidecar-for'] || io.env.CONNECT_SIDECAR_FOR || '',
          service: flags.service,
          upstreams: flags.upstream,
          listen: flags.listen,
          serviceAddr: flags['service-addr'],
        });
        first = await fetchSnapshot(client, resolved.target);
      } catch (err) {
        io.stderr(`==> Error preparing configuration: ${(err as Error).message}\n`);
        return 1;
      }
      io.stdout('==> Weft Connect proxy starting...\n');
      for (const line of resolved.banner) io.stdout(`${line}\n`);
      try {
        await stack.apply(first.body);
        const metricsAddr = flags['metrics-addr'] || String(first.body.Config.envoy_prometheus_bind_addr ?? '');
        if (metricsAddr) {
          const m = listenParts(metricsAddr);
          admin = await startAdminServer(m.host || '0.0.0.0', m.port, stack.metrics, () => stack.ready);
          io.stdout(`${'Metrics'.padStart(22)}: http://${metricsAddr}/metrics\n`);
        }
        if (flags.register) {
          const l = listenParts(flags.listen);
          registration = new SelfRegistration({ client, service: flags.service, idSuffix: flags['register-id'], address: l.host, port: l.port, log });
          await registration.start();
        }
      } catch (err) {
        io.stderr(`==> Failed running proxy: ${(err as Error).message}\n`);
        return 1;
      }
      io.stdout('\n==> Log data will now stream in as it occurs:\n\n');
      const following = followSnapshots(client, resolved.target, first, (s) => void stack.apply(s).catch((err: Error) => log.error({ error: err.message }, 'applying a snapshot failed')), {
        signal: stop.signal,
        onError: (err, attempt) => log.warn({ error: (err as Error).message, attempt }, 'reading the proxy snapshot failed; retrying'),
      });
      await untilAborted(stop.signal);
      await following;
      io.stdout('==> Weft Connect proxy shutdown\n');
      return 0;
    } finally {
      stop.abort();
      await registration?.close();
      await stack.close();
      admin?.close();
      client.close();
      unboundHeap();
    }
  },
});
