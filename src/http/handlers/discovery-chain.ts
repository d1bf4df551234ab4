import { chainTrustDomain, readDiscoveryChain, type ChainOptions } from '../../discovery-chain/index.js';
import { WeftError } from '../../lib/errors.js';
import { PROTOCOLS } from '../../state/index.js';
import { blockingQuery } from '../blocking.js';
import type { ApiContext } from '../context.js';
import { FieldReader } from '../decode/fields.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import type { Route } from '../routes.js';

type Overrides = Omit<ChainOptions, 'datacenter'>;

const MESH_GATEWAY_MODES = new Set(['none', 'local', 'remote']);

/** The POST body: OverrideConnectTimeout ("7s" or nanoseconds), OverrideProtocol, OverrideMeshGateway{Mode}; snake_case too. */
function decodeOverrides(raw: unknown): Overrides {
  const body = FieldReader.of(raw, 'discoveryChainReadRequest');
  const out: Overrides = {};
  const timeout = body.duration(['OverrideConnectTimeout', 'override_connect_timeout']);
  if (timeout !== undefined && timeout > 0) out.overrideConnectTimeoutMs = timeout;
  const protocol = body.string(['OverrideProtocol', 'override_protocol']).toLowerCase();
  if (protocol) {
    if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
      throw new WeftError('BAD_REQUEST', `Request decoding failed: OverrideProtocol ${JSON.stringify(protocol)} must be one of ${PROTOCOLS.join(', ')}`);
    }
    out.overrideProtocol = protocol;
  }
  const mode = body.object(['OverrideMeshGateway', 'override_mesh_gateway'])?.string('Mode');
  if (mode) {
    if (!MESH_GATEWAY_MODES.has(mode)) throw new WeftError('BAD_REQUEST', 'Invalid OverrideMeshGateway.Mode parameter');
    out.overrideMeshGateway = { Mode: mode };
  }
  return out;
}

/**
 * GET|POST /v1/discovery-chain/:service[?compile-dc=] — the service's compiled chain,
 * `{"Chain": ...}`. POST carries overrides in the body (GET cannot have one). A blocking query
 * that wakes when one of the entries the chain was compiled from changes.
 */
async function read(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const name = req.params['*'] ?? '';
  if (!name) throw new WeftError('BAD_REQUEST', 'Missing chain name');
  ctx.authz.check(req.token, { kind: 'service', name }, 'read');
  const datacenter = req.get('compile-dc') || ctx.agent.config.datacenter;
  const overrides = req.method === 'POST' ? decodeOverrides(await req.json()) : {};
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const trustDomain = chainTrustDomain(ctx.store, ws);
    // Target SNIs need the trust domain; Consul answers the same until its CA is set up.
    if (!trustDomain) throw new WeftError('INTERNAL', 'no cluster ca config setup');
    const r = readDiscoveryChain(ctx.store, ws, name, { datacenter, trustDomain, ...overrides });
    return { index: r.index, reply: { body: { Chain: r.chain } } };
  });
}

export const discoveryChainRoutes: Route[] = [
  { method: 'GET', path: '/v1/discovery-chain/*', name: 'discovery-chain.read', handler: read },
  { method: 'POST', path: '/v1/discovery-chain/*', name: 'discovery-chain.read', handler: read },
];
