import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createLogger } from '../lib/log.js';
import {
  createCsr,
  crossSign,
  generateRootCert,
  generateSigningKey,
  parseCsr,
  serviceDnsName,
  serviceSpiffeUri,
  signLeaf,
  trustDomainOf,
  type KeySpec,
  type SigningKey,
} from '../connect/index.js';
import type { Intention } from '../api/connect.js';
import { serviceSni, type ProxySnapshot, type UpstreamEndpoint } from '../proxycfg/wire.js';

/** For tests of the data plane: a real CA (Weft's own signing code), leaves, and snapshots built by hand. */
export const CLUSTER = '11111111-2222-3333-4444-555555555555';
export const TD = trustDomainOf(CLUSTER);
const HOUR = 3600_000;

export interface TestRoot {
  pem: string;
  key: SigningKey;
  /** Set on a rotated root: the cross-signed certificate leaves carry as intermediate. */
  crossSigned?: string;
}

export async function makeRoot(spec: KeySpec = { type: 'ec', bits: 256 }, trustDomain = TD): Promise<TestRoot> {
  const key = await generateSigningKey(spec);
  return { pem: await generateRootCert({ clusterId: CLUSTER, trustDomain, key, ttlMs: 10 * 8760 * HOUR, now: new Date() }), key };
}

/** A new root cross-signed by `old`, as a CA rotation makes it. */
export async function rotateRoot(old: TestRoot, spec: KeySpec): Promise<TestRoot> {
  const next = await makeRoot(spec);
  next.crossSigned = await crossSign({ newRootPem: next.pem, oldRootPem: old.pem, oldKey: old.key, leafTtlMs: 72 * HOUR, now: new Date() });
  return next;
}

export interface TestLeaf {
  certPem: string;
  keyPem: string;
  serial: string;
}

export async function makeLeaf(root: TestRoot, service: string, trustDomain = TD): Promise<TestLeaf> {
  const key = await generateSigningKey({ type: 'ec', bits: 256 });
  const dns = serviceDnsName(service, trustDomain);
  const csr = await parseCsr(await createCsr({ uri: serviceSpiffeUri(trustDomain, 'dc1', service), dnsNames: dns ? [dns] : [], key }));
  const leaf = await signLeaf({ csr, caCertPem: root.pem, caKey: root.key, ttlMs: 72 * HOUR, now: new Date(), commonName: service });
  return { certPem: leaf.pem + (root.crossSigned ?? ''), keyPem: key.pem, serial: leaf.serial };
}

export const silentLog = createLogger({ level: 'error', json: true, destination: { write: () => true } as unknown as NodeJS.WritableStream });

export function intention(source: string, destination: string, action: 'allow' | 'deny', precedence = 9): Intention {
  return { SourceNS: 'default', SourceName: source, DestinationNS: 'default', DestinationName: destination, SourceType: 'consul', Action: action, Meta: null, Precedence: precedence, CreateIndex: 1, ModifyIndex: 1 };
}

export function endpoint(port: number, service: string, id = `${service}-sidecar-proxy`): UpstreamEndpoint {
  return { Node: 'n1', ServiceID: id, Address: '127.0.0.1', Port: port, Identity: serviceSpiffeUri(TD, 'dc1', service), Weight: 1 };
}

export interface SnapshotParts {
  service: string;
  leaf: TestLeaf;
  roots: TestRoot[];
  listener?: { port: number; localPort: number };
  upstreams?: { name: string; port: number; endpoints: UpstreamEndpoint[] }[];
  intentions?: Intention[];
  defaultAllow?: boolean;
}

export function snapshot(p: SnapshotParts): ProxySnapshot {
  return {
    Kind: 'connect-proxy',
    ProxyID: `${p.service}-sidecar-proxy`,
    Node: 'n1',
    Datacenter: 'dc1',
    TrustDomain: TD,
    Service: p.service,
    ServiceID: p.service,
    SpiffeID: serviceSpiffeUri(TD, 'dc1', p.service),
    PublicListener: p.listener
      ? { BindAddress: '127.0.0.1', BindPort: p.listener.port, LocalServiceAddress: '127.0.0.1', LocalServicePort: p.listener.localPort, LocalConnectTimeoutMs: 1000, HandshakeTimeoutMs: 2000, Protocol: 'tcp', LocalRequestTimeoutMs: 0, MaxInboundConnections: 0 }
      : null,
    Leaf: { SerialNumber: p.leaf.serial, CertPEM: p.leaf.certPem, PrivateKeyPEM: p.leaf.keyPem, ValidAfter: new Date().toISOString(), ValidBefore: new Date(Date.now() + 72 * HOUR).toISOString(), ModifyIndex: 1 },
    Roots: { ActiveRootID: 'r', RootPEMs: p.roots.map((r) => r.pem) },
    Intentions: { Matches: p.intentions ?? [], DefaultAllow: p.defaultAllow ?? true, DefaultReason: 'default' },
    Upstreams: (p.upstreams ?? []).map((u) => ({
      DestinationType: 'service',
      DestinationName: u.name,
      Datacenter: 'dc1',
      LocalBindAddress: '127.0.0.1',
      LocalBindPort: u.port,
      ConnectTimeoutMs: 2000,
      SNI: serviceSni(u.name, 'dc1', TD),
      Endpoints: u.endpoints,
      Protocol: 'tcp',
      Chain: null,
      Limits: {},
      PassiveHealthCheck: null,
      Config: {},
    })),
    Config: {},
    AccessLogs: null,
  };
}

/** A TCP echo server standing in for an app: answers every byte back, and "bye" after the client half-closes. */
export async function echoServer(): Promise<{ port: number; server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer({ allowHalfOpen: true }, (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('data', (d) => s.write(d));
    s.on('end', () => s.end('bye'));
    s.on('error', () => s.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, server, sockets };
}

/** A port free right now. */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
