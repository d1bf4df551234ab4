import { WeftError } from '../../lib/errors.js';
import type { Route } from '../routes.js';
import { setAgentToken } from './acl-agent-token.js';
import { authorize } from './acl-authorize.js';
import { bootstrap } from './acl-bootstrap.js';
import { requireAcl } from './acl-common.js';
import { createPolicy, deletePolicy, listPolicies, readPolicy, readPolicyByName, updatePolicy } from './acl-policy.js';
import { createRole, deleteRole, listRoles, readRole, readRoleByName, updateRole } from './acl-role.js';
import { cloneToken, createToken, deleteToken, listTokens, readToken, selfToken, updateToken } from './acl-token.js';

/** `/v1/acl/token/` with no ID: Consul's 400 rather than a routing 404. */
const missing = (reason: string): Route['handler'] => (_req, ctx) => {
  requireAcl(ctx);
  throw new WeftError('BAD_REQUEST', reason);
};

/** The ACL API (Consul's agent/acl_endpoint.go), the agent-token endpoint and the UI's permission probe. */
export const aclRoutes: Route[] = [
  { method: 'PUT', path: '/v1/acl/bootstrap', name: 'acl.bootstrap', handler: bootstrap },

  { method: 'PUT', path: '/v1/acl/token', name: 'acl.token.create', handler: createToken },
  { method: 'GET', path: '/v1/acl/token/self', name: 'acl.token.self', handler: selfToken },
  { method: 'GET', path: '/v1/acl/token/', name: 'acl.token.read', handler: missing('Missing token AccessorID') },
  { method: 'DELETE', path: '/v1/acl/token/', name: 'acl.token.delete', handler: missing('Missing token AccessorID') },
  { method: 'GET', path: '/v1/acl/token/:id', name: 'acl.token.read', handler: readToken },
  { method: 'PUT', path: '/v1/acl/token/:id', name: 'acl.token.update', handler: updateToken },
  { method: 'DELETE', path: '/v1/acl/token/:id', name: 'acl.token.delete', handler: deleteToken },
  { method: 'PUT', path: '/v1/acl/token/:id/clone', name: 'acl.token.clone', handler: cloneToken },
  { method: 'GET', path: '/v1/acl/tokens', name: 'acl.tokens', handler: listTokens },

  { method: 'PUT', path: '/v1/acl/policy', name: 'acl.policy.create', handler: createPolicy },
  { method: 'GET', path: '/v1/acl/policy/name/*', name: 'acl.policy.name', handler: readPolicyByName },
  { method: 'GET', path: '/v1/acl/policy/', name: 'acl.policy.read', handler: missing('Missing policy ID') },
  { method: 'DELETE', path: '/v1/acl/policy/', name: 'acl.policy.delete', handler: missing('Missing policy ID') },
  { method: 'GET', path: '/v1/acl/policy/:id', name: 'acl.policy.read', handler: readPolicy },
  { method: 'PUT', path: '/v1/acl/policy/:id', name: 'acl.policy.update', handler: updatePolicy },
  { method: 'DELETE', path: '/v1/acl/policy/:id', name: 'acl.policy.delete', handler: deletePolicy },
  { method: 'GET', path: '/v1/acl/policies', name: 'acl.policies', handler: listPolicies },

  { method: 'PUT', path: '/v1/acl/role', name: 'acl.role.create', handler: createRole },
  { method: 'GET', path: '/v1/acl/role/name/*', name: 'acl.role.name', handler: readRoleByName },
  { method: 'GET', path: '/v1/acl/role/', name: 'acl.role.read', handler: missing('Missing role ID') },
  { method: 'DELETE', path: '/v1/acl/role/', name: 'acl.role.delete', handler: missing('Missing role ID') },
  { method: 'GET', path: '/v1/acl/role/:id', name: 'acl.role.read', handler: readRole },
  { method: 'PUT', path: '/v1/acl/role/:id', name: 'acl.role.update', handler: updateRole },
  { method: 'DELETE', path: '/v1/acl/role/:id', name: 'acl.role.delete', handler: deleteRole },
  { method: 'GET', path: '/v1/acl/roles', name: 'acl.roles', handler: listRoles },

  { method: 'PUT', path: '/v1/agent/token/*', name: 'agent.token', handler: setAgentToken },
  { method: 'POST', path: '/v1/internal/acl/authorize', name: 'internal.acl.authorize', handler: authorize },
];
