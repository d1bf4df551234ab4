import { parseCsr, parseSpiffeUri } from '../../connect/index.js';
import { WeftError } from '../../lib/errors.js';
import { stringifyExact } from '../../lib/uint64-json.js';
import { caConfig, caRoots, type CARootRow, type CARootsView } from '../../state/index.js';
import { blockingQuery } from '../blocking.js';
import type { ApiContext } from '../context.js';
import { FieldReader, decodeFailed } from '../decode/fields.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import type { Route } from '../routes.js';
import { maybeConnect, serverConnect } from './connect-runtime.js';

function rootJson(r: CARootRow): Record<string, unknown> {
  return {
    ID: r.ID,
    Name: r.Name,
    SerialNumber: r.SerialNumber,
    SigningKeyID: r.SigningKeyID,
    ExternalTrustDomain: r.ExternalTrustDomain,
    NotBefore: r.NotBefore,
    NotAfter: r.NotAfter,
    RootCert: r.RootCert,
    // Go encodes an empty slice it never filled as null.
    IntermediateCerts: r.IntermediateCerts.length ? r.IntermediateCerts : null,
    Active: r.Active,
    PrivateKeyType: r.PrivateKeyType,
    PrivateKeyBits: r.PrivateKeyBits,
    CreateIndex: r.CreateIndex,
    ModifyIndex: r.ModifyIndex,
  };
}

/** Consul's IndexedCARoots; a root serial above 2^53 stays exact on the wire. */
export function rootsReply(req: ApiRequest, view: CARootsView): Reply {
  const body = { ActiveRootID: view.activeRootId, TrustDomain: view.trustDomain, Roots: view.roots.map(rootJson) };
  if (!view.roots.some((r) => typeof r.SerialNumber === 'string')) return { body };
  return { raw: stringifyExact(body, ['SerialNumber'], req.has('pretty') ? 4 : undefined), contentType: 'application/json' };
}

const BOOL = /^(1|t|T|TRUE|true|True|0|f|F|FALSE|false|False)$/;

/** `?pem` (or `?pem=true`): the chain as PEM, each root followed by its intermediates. */
function wantsPem(req: ApiRequest): boolean {
  if (!req.has('pem')) return false;
  const v = req.get('pem') ?? '';
  if (v === '') return true;
  if (!BOOL.test(v)) throw new WeftError('BAD_REQUEST', "The 'pem' query parameter must be a boolean value");
  return /^(1|t|true)$/i.test(v);
}

export function rootsHandler(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  serverConnect(ctx);
  const pem = wantsPem(req);
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const view = caRoots(ctx.store, ws);
    if (!pem) return { index: view.index, reply: rootsReply(req, view) };
    const chain = view.roots.map((r) => r.RootCert + r.IntermediateCerts.join('')).join('');
    return { index: view.index, reply: { raw: chain, contentType: 'application/pem-certificate-chain' } };
  });
}

function getConfig(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  serverConnect(ctx);
  ctx.authz.check(req.token, { kind: 'operator' }, 'read');
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const { index, config } = caConfig(ctx.store, ws);
    if (!config) return { index, reply: { body: { Provider: '', Config: null, State: null, ForceWithoutCrossSigning: false, CreateIndex: 0, ModifyIndex: 0 } } };
    const { Provider, Config, ForceWithoutCrossSigning, CreateIndex, ModifyIndex } = config;
    return { index, reply: { body: { Provider, Config, State: null, ForceWithoutCrossSigning, CreateIndex, ModifyIndex } } };
  });
}

async function putConfig(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const rt = serverConnect(ctx);
  ctx.authz.check(req.token, { kind: 'operator' }, 'write');
  const body = FieldReader.of(await req.json(), 'CAConfiguration');
  const config = body.raw('Config');
  if (config !== undefined && (typeof config !== 'object' || Array.isArray(config))) {
    throw decodeFailed('json: cannot unmarshal into Go struct field CAConfiguration.Config of type map[string]interface {}');
  }
  const state = body.raw('State');
  if (state !== undefined && (typeof state !== 'object' || Object.keys(state as object).length)) {
    throw new WeftError('BAD_REQUEST', 'Provider State is read-only. It must be omitted or identical to the current value');
  }
  await rt.ca.setConfig({
    Provider: body.string('Provider'),
    Config: (config as Record<string, unknown> | undefined) ?? {},
    ForceWithoutCrossSigning: body.bool(['ForceWithoutCrossSigning', 'force_without_cross_signing']),
  });
  return {};
}

/**
 * Server-internal: signs a CSR the way a client agent needs for a leaf (Consul's
 * ConnectCA.Sign RPC). The caller must hold service:write on the CSR's service.
 */
async function sign(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const rt = serverConnect(ctx);
  const csr = FieldReader.of(await req.json(), 'CASignRequest').string('CSR');
  if (!csr) throw new WeftError('BAD_REQUEST', 'CSR is required');
  const id = parseSpiffeUri((await parseCsr(csr)).uris[0] ?? '');
  if (id?.kind === 'service') ctx.authz.check(req.token, { kind: 'service', name: id.service }, 'write');
  else if (id?.kind === 'agent') ctx.authz.check(req.token, { kind: 'node', name: id.agent }, 'write');
  const { id: _id, ...issued } = await rt.ca.sign(csr);
  return { body: issued };
}

/** The CA routes; building them sets up this server's CA, so a fresh cluster has roots at once. */
export function connectCaRoutes(ctx: ApiContext): Route[] {
  maybeConnect(ctx);
  return [
    { method: 'GET', path: '/v1/connect/ca/roots', name: 'connect.ca.roots', handler: rootsHandler },
    { method: 'GET', path: '/v1/connect/ca/configuration', name: 'connect.ca.config.get', handler: getConfig },
    { method: 'PUT', path: '/v1/connect/ca/configuration', name: 'connect.ca.config.set', handler: putConfig },
    { method: 'PUT', path: '/v1/internal/connect/ca/sign', name: 'connect.ca.sign', handler: sign },
  ];
}
