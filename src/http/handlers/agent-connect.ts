import { decideIntention, leafTopic, parseSpiffeUri } from '../../connect/index.js';
import { WeftError } from '../../lib/errors.js';
import { caRoots, intentionMatch } from '../../state/index.js';
import { blockingQuery } from '../blocking.js';
import type { ApiContext } from '../context.js';
import { FieldReader } from '../decode/fields.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import type { Route } from '../routes.js';
import { rootsHandler } from './connect-ca.js';
import { serverConnect } from './connect-runtime.js';

/**
 * GET /v1/agent/connect/ca/leaf/:service: this agent's leaf for the service, issued on first
 * request, renewed in the background, and a blocking query that returns when it is replaced.
 */
async function leaf(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const rt = serverConnect(ctx);
  const service = req.params.service ?? '';
  if (!service) throw new WeftError('BAD_REQUEST', 'Missing service name');
  ctx.authz.check(req.token, { kind: 'service', name: service }, 'write');
  const issued = await rt.leaves.get(service, req.token);
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    ws.add(leafTopic(service));
    const cert = rt.leaves.current(service) ?? issued;
    return { index: cert.ModifyIndex, reply: { body: cert } };
  });
}

/**
 * POST /v1/agent/connect/authorize: may the client certificate's service connect to Target?
 * An L7 intention denies here, as Consul documents; so does a certificate of another trust domain.
 */
async function authorize(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const rt = serverConnect(ctx);
  const body = FieldReader.of(await req.json(), 'ConnectAuthorizeRequest');
  const target = body.string('Target');
  const uri = body.string('ClientCertURI');
  body.string('ClientCertSerial');
  if (!target) throw new WeftError('BAD_REQUEST', 'Target service must be specified');
  const id = parseSpiffeUri(uri);
  if (!id) throw new WeftError('BAD_REQUEST', 'ClientCertURI not a valid Connect identifier');
  if (id.kind !== 'service') throw new WeftError('BAD_REQUEST', 'ClientCertURI not a valid Service identifier');
  ctx.authz.check(req.token, { kind: 'service', name: target }, 'write');
  const trustDomain = caRoots(ctx.store, null).trustDomain;
  if (id.trustDomain !== trustDomain) {
    return { body: { Authorized: false, Reason: `Client certificate is from trust domain ${id.trustDomain}, not ${trustDomain || 'this cluster'}` } };
  }
  const matches = intentionMatch(ctx.store, null, 'destination', [target]).matches[0];
  const decision = decideIntention(matches, id.service, target, rt.defaultPolicy);
  return { body: { Authorized: decision.allowed, Reason: decision.reason } };
}

export const agentConnectRoutes: Route[] = [
  { method: 'GET', path: '/v1/agent/connect/ca/roots', name: 'agent.connect.roots', handler: rootsHandler },
  { method: 'GET', path: '/v1/agent/connect/ca/leaf/:service', name: 'agent.connect.leaf', handler: leaf },
  { method: 'POST', path: '/v1/agent/connect/authorize', name: 'agent.connect.authorize', handler: authorize },
];
