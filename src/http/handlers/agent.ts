import os from 'node:os';
import { statfsSync } from 'node:fs';
import { applyFilter } from '../../filter/index.js';
import { CONSUL_API_VERSION, VERSION } from '../../version.js';
import { ResultFilter } from '../acl-filter.js';
import type { ApiContext } from '../context.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import type { Route } from '../routes.js';

/** Consul authorizes the agent endpoints against the agent's own node name. */
const agentRead = (req: ApiRequest, ctx: ApiContext) => ctx.authz.check(req.token, { kind: 'agent', name: ctx.agent.config.nodeName }, 'read');

/** Members the token may not read (`node:read`) drop out before `?filter` sees them. */
function members(req: ApiRequest, ctx: ApiContext): Reply {
  const acl = new ResultFilter(req, ctx);
  const visible = ctx.agent.members().filter((m) => acl.allows({ kind: 'node', name: m.Name }));
  return acl.reply({ body: applyFilter(req.get('filter'), visible) });
}

/** Consul's /v1/agent/self: Config is what clients read (NodeName, Datacenter; Patroni reads SessionTTLMin). */
function self(ctx: ApiContext) {
  const { config } = ctx.agent;
  const me = ctx.agent.members().find((m) => m.Name === config.nodeName);
  return {
    Config: {
      Datacenter: config.datacenter,
      PrimaryDatacenter: config.primaryDatacenter,
      NodeName: config.nodeName,
      NodeID: ctx.agent.nodeId,
      Revision: `weft-${VERSION}`,
      Server: config.server,
      Version: CONSUL_API_VERSION,
      BuildDate: '2026-11-22T00:00:00Z',
      // Patroni reads this (nanoseconds) to size its session TTL.
      SessionTTLMin: 10_000_000_000,
    },
    DebugConfig: {
      Datacenter: config.datacenter,
      NodeName: config.nodeName,
      NodeID: ctx.agent.nodeId,
      Domain: `${config.domain}.`,
      DataDir: config.dataDir,
      ServerMode: config.server,
      DevMode: config.dev,
      ClientAddrs: config.clientAddr,
      BindAddr: config.bindAddr,
      AdvertiseAddrLAN: config.advertiseAddr,
      HTTPPort: config.ports.http,
      DNSPort: config.ports.dns,
      GRPCPort: config.ports.grpc,
      ServerPort: config.ports.server,
      SessionTTLMin: '10s',
      Store: ctx.store.backendName,
    },
    Coord: { Vec: [0, 0, 0, 0, 0, 0, 0, 0], Error: 1.5, Adjustment: 0, Height: 1e-5 },
    Member: me ?? null,
    Stats: stats(ctx),
    Meta: config.nodeMeta,
    xDS: null,
  };
}

function stats(ctx: ApiContext) {
  const { config } = ctx.agent;
  return {
    agent: { check_monitors: '0', check_ttls: '0', checks: '0', services: '0' },
    build: { prerelease: '', revision: `weft-${VERSION}`, version: CONSUL_API_VERSION, version_metadata: '' },
    consul: {
      bootstrap: String(config.bootstrap || config.dev),
      known_datacenters: '1',
      leader: String(ctx.agent.isLeader()),
      leader_addr: ctx.agent.leaderAddress(),
      server: String(config.server),
    },
    raft: { applied_index: String(ctx.store.index), commit_index: String(ctx.store.index), state: ctx.agent.isLeader() ? 'Leader' : 'Follower' },
    runtime: {
      arch: process.arch,
      os: process.platform,
      cpu_count: String(os.availableParallelism()),
      goroutines: '0',
      max_procs: String(os.availableParallelism()),
      version: process.version,
    },
    weft: { store: ctx.store.backendName, uptime_seconds: String(Math.round((Date.now() - ctx.agent.startedAt.getTime()) / 1000)) },
  };
}

function host() {
  const total = os.totalmem();
  const free = os.freemem();
  let disk: Record<string, unknown> = {};
  try {
    const s = statfsSync('/');
    const size = s.blocks * s.bsize;
    const freeBytes = s.bavail * s.bsize;
    disk = { Path: '/', Total: size, Free: freeBytes, Used: size - freeBytes, UsedPercent: size ? ((size - freeBytes) / size) * 100 : 0 };
  } catch {
    // Hosts without statfs (or a restricted /) simply report no disk.
  }
  return {
    Memory: { Total: total, Available: free, Used: total - free, UsedPercent: ((total - free) / total) * 100, Free: free },
    CPU: os.cpus().map((c, i) => ({ CPU: i, ModelName: c.model, Mhz: c.speed, Cores: 1 })),
    Host: {
      Hostname: os.hostname(),
      Uptime: Math.round(os.uptime()),
      OS: process.platform,
      Platform: os.type(),
      PlatformVersion: os.release(),
      KernelVersion: os.release(),
      KernelArch: os.arch(),
    },
    Disk: disk,
    CollectionTime: Date.now() * 1e6,
    Errors: null,
  };
}

export const agentRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/agent/self',
    name: 'agent.self',
    handler: (req, ctx) => {
      agentRead(req, ctx);
      return { body: self(ctx) };
    },
  },
  { method: 'GET', path: '/v1/agent/members', name: 'agent.members', handler: members },
  {
    method: 'GET',
    path: '/v1/agent/metrics',
    name: 'agent.metrics',
    handler: async (req, ctx) => {
      agentRead(req, ctx);
      if (req.get('format') === 'prometheus') {
        return { raw: await ctx.metrics.prometheus(), contentType: ctx.metrics.prometheusContentType };
      }
      return { body: await ctx.metrics.goMetrics() };
    },
  },
  {
    method: 'GET',
    path: '/v1/agent/host',
    name: 'agent.host',
    handler: (req, ctx) => {
      ctx.authz.check(req.token, { kind: 'operator' }, 'read');
      return { body: host() };
    },
  },
  {
    method: 'GET',
    path: '/v1/agent/version',
    name: 'agent.version',
    handler: () => ({
      body: { SHA: '', BuildDate: '2026-11-22T00:00:00Z', HumanVersion: `${CONSUL_API_VERSION} (weft ${VERSION})`, FIPS: '' },
    }),
  },
  {
    method: 'PUT',
    path: '/v1/agent/leave',
    name: 'agent.leave',
    handler: async (req, ctx) => {
      ctx.authz.check(req.token, { kind: 'agent', name: ctx.agent.config.nodeName }, 'write');
      await ctx.agent.leave();
      return {};
    },
  },
];
