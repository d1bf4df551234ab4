import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { GLOBAL_MANAGEMENT_ID } from '../../acl/index.js';
import { WeftError } from '../../lib/errors.js';
import { aclBootstrapState, aclTokenByAccessor, aclTokenBySecret, bootstrapRefusal, type AclBootstrapOp, type TokenRow } from '../../state/index.js';
import type { ApiContext } from '../context.js';
import { FieldReader } from '../decode/fields.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import { isUuid, newAclId, requireAcl } from './acl-common.js';
import { tokenJson } from './acl-json.js';

/** Consul's file in the data dir that allows one more bootstrap: it holds the current reset index. */
export const BOOTSTRAP_RESET_FILE = 'acl-bootstrap-reset';

function readResetIndex(dataDir: string): number {
  if (!dataDir) return 0;
  try {
    const m = /^\s*(\d+)/.exec(readFileSync(join(dataDir, BOOTSTRAP_RESET_FILE), 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * `PUT /v1/acl/bootstrap`: the first management token, once. Afterwards the answer is 403
 * with the reset index; writing that index to `<data_dir>/acl-bootstrap-reset` allows one
 * more bootstrap (the file is removed as soon as it has been read and found right).
 */
export async function bootstrap(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  requireAcl(ctx);
  const raw = await req.json();
  let secret = '';
  if (raw !== undefined) {
    try {
      secret = FieldReader.of(raw, 'BootstrapRequest').string('BootstrapSecret');
    } catch (err) {
      throw new WeftError('BAD_REQUEST', `Request decoding failed: ${(err as Error).message.replace(/^Request decode failed: /, '')}`);
    }
  }
  const dataDir = ctx.agent.config.dev ? '' : ctx.agent.config.dataDir;
  let resetIndex = 0;
  if (!aclBootstrapState(ctx.store).allowed) {
    resetIndex = readResetIndex(dataDir);
    const refusal = bootstrapRefusal(ctx.store, resetIndex);
    if (refusal) throw refusal;
    rmSync(join(dataDir, BOOTSTRAP_RESET_FILE), { force: true });
  }
  const taken = (id: string) => !!aclTokenByAccessor(ctx.store, null, id).token || !!aclTokenBySecret(ctx.store, null, id).token;
  if (secret && !isUuid(secret)) throw new WeftError('BAD_REQUEST', 'Invalid bootstrap secret: not a valid UUID');
  const op: AclBootstrapOp = {
    type: 'acl.bootstrap',
    ResetIndex: resetIndex,
    Token: {
      AccessorID: newAclId(taken),
      SecretID: secret || newAclId(taken),
      Description: 'Bootstrap Token (Global Management)',
      Policies: [{ ID: GLOBAL_MANAGEMENT_ID }],
      Roles: [],
      ServiceIdentities: [],
      NodeIdentities: [],
      Local: false,
      CreateTime: new Date().toISOString(),
    },
  };
  const row = await ctx.store.apply<TokenRow>(op);
  ctx.log.info('ACL bootstrap completed');
  const view = aclTokenByAccessor(ctx.store, null, row.AccessorID).token!;
  return { body: { ID: view.SecretID, ...tokenJson(view, true) } };
}
