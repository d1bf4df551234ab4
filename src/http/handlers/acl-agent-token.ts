import type { AgentTokenKind } from '../../acl/index.js';
import { WeftError } from '../../lib/errors.js';
import type { ApiContext } from '../context.js';
import { FieldReader } from '../decode/fields.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import { pathTail, requireAcl } from './acl-common.js';

/** The names `PUT /v1/agent/token/:kind` takes, old ones included (agent/agent_endpoint.go). */
const KINDS: Record<string, AgentTokenKind> = {
  default: 'default',
  acl_token: 'default',
  agent: 'agent',
  acl_agent_token: 'agent',
  agent_recovery: 'agent_recovery',
  agent_master: 'agent_recovery',
  acl_agent_master_token: 'agent_recovery',
  replication: 'replication',
  acl_replication_token: 'replication',
  config_file_service_registration: 'config_file_service_registration',
  dns: 'dns',
  dns_token: 'dns',
};

/** `weft acl set-agent-token`: replaces one of the agent's tokens; needs agent:write on this node. */
export async function setAgentToken(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const acl = requireAcl(ctx);
  ctx.authz.check(req.token, { kind: 'agent', name: ctx.agent.config.nodeName }, 'write');
  let value: string;
  try {
    value = FieldReader.of(await req.json(), 'AgentToken').string('Token');
  } catch (err) {
    throw new WeftError('BAD_REQUEST', `Request decode failed: ${(err as Error).message.replace(/^Request decode failed: /, '')}`);
  }
  const target = pathTail(req, '/v1/agent/token/', 'Missing token type');
  const kind = KINDS[target];
  if (!kind) throw new WeftError('NOT_FOUND', `Token "${target}" is unknown`);
  acl.agentTokens.set(kind, value);
  ctx.log.info({ tokenKind: kind }, "Updated agent's ACL token");
  return {};
}
