import type { DeregisterOp, RegisterOp } from '../../state/index.js';
import type { ApiContext } from '../context.js';
import { decodeCatalogDeregister, decodeCatalogRegister } from '../decode/catalog-register.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import type { Route } from '../routes.js';
import { vetCatalogDeregister, vetCatalogRegister } from './catalog-vet.js';

/**
 * `/v1/catalog/register`: Consul's low-level write. The body is decoded and validated in full
 * before the op is applied, and the op applies atomically, so a refused registration stores
 * nothing. Answers `true`.
 */
async function register(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const input = decodeCatalogRegister(await req.json(), ctx.agent.config.datacenter);
  vetCatalogRegister((r, a) => ctx.authz.check(req.token, r, a), ctx.store, input);
  const op: RegisterOp = { type: 'catalog.register', ...input };
  await ctx.store.apply(op);
  return { body: true };
}

/** `/v1/catalog/deregister`: a service (ServiceID), a check (CheckID) or the whole node. Answers `true`, also when nothing matched. */
async function deregister(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const input = decodeCatalogDeregister(await req.json(), ctx.agent.config.datacenter);
  vetCatalogDeregister((r, a) => ctx.authz.check(req.token, r, a), ctx.store, input);
  const op: DeregisterOp = { type: 'catalog.deregister', ...input };
  await ctx.store.apply(op);
  return { body: true };
}

export const catalogWriteRoutes: Route[] = [
  { method: 'PUT', path: '/v1/catalog/register', name: 'catalog.register', handler: register },
  { method: 'PUT', path: '/v1/catalog/deregister', name: 'catalog.deregister', handler: deregister },
];
