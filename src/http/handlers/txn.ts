import { WeftError, isWeftError } from '../../lib/errors.js';
import { parseJsonExact } from '../../lib/uint64-json.js';
import { KV_WRITE_VERBS, txnRead } from '../../state/index.js';
import type { TxnApplyOp, TxnError, TxnOp, TxnOutcome, TxnResult } from '../../state/index.js';
import { ResultFilter } from '../acl-filter.js';
import type { ApiContext } from '../context.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import type { Route } from '../routes.js';
import { exactJsonReply, kvJson } from './kv-json.js';
import { serverSessions } from './session-runtime.js';
import { decodeTxnOps } from './txn-decode.js';
import { filterTxnResults, vetTxnOp } from './txn-acl.js';

/** The limit the issue names; Consul raised its own to 128 in 1.15. */
export const MAX_TXN_OPS = 64;

function isWrite(op: TxnOp): boolean {
  if ('KV' in op) return KV_WRITE_VERBS.has(op.KV.Verb);
  const verb = 'Node' in op ? op.Node.Verb : 'Service' in op ? op.Service.Verb : op.Check.Verb;
  return verb !== 'get';
}

/** Consul's Txn.preCheck: keys present, access allowed, no lock inside its lock-delay; nothing is applied if one fails. */
function preCheck(req: ApiRequest, ctx: ApiContext, ops: TxnOp[]): TxnError[] {
  const errors: TxnError[] = [];
  const delays = serverSessions(ctx).lockDelays;
  ops.forEach((op, i) => {
    try {
      if ('KV' in op && op.KV.Key === '' && op.KV.Verb !== 'delete-tree') throw new WeftError('BAD_REQUEST', 'Must provide key');
      vetTxnOp(req, ctx, op);
      if ('KV' in op && op.KV.Verb === 'lock' && delays.remaining(op.KV.Key) > 0) {
        throw new WeftError('CONFLICT', `failed to lock key ${JSON.stringify(op.KV.Key)} due to lock delay`);
      }
    } catch (err) {
      if (!isWeftError(err)) throw err;
      errors.push({ OpIndex: i, What: err.message });
    }
  });
  return errors;
}

function resultJson(r: TxnResult): Record<string, unknown> {
  if (r.KV) return { KV: kvJson(r.KV) };
  if (r.Node) return { Node: r.Node };
  if (r.Service) {
    const { Node: _node, Kind, ...service } = r.Service;
    return { Service: Kind ? { Kind, ...service } : service };
  }
  return { Check: r.Check };
}

function reply(req: ApiRequest, outcome: TxnOutcome, extra: Omit<Reply, 'body' | 'raw'> = {}): Reply {
  const body = { Results: outcome.Results ? outcome.Results.map(resultJson) : null, Errors: outcome.Errors };
  const flags = (outcome.Results ?? []).map((r) => r.KV?.Flags);
  return exactJsonReply(req, body, flags, outcome.Errors ? { ...extra, status: 409 } : extra);
}

async function readOps(req: ApiRequest, maxLen: number): Promise<unknown> {
  let buf: Buffer;
  try {
    buf = await req.body(maxLen);
  } catch (err) {
    if (isWeftError(err, 'PAYLOAD_TOO_LARGE')) throw new WeftError('PAYLOAD_TOO_LARGE', `Request body too large, max size: ${maxLen} bytes`);
    throw err;
  }
  const text = buf.toString('utf8');
  if (text.trim() === '') throw new WeftError('BAD_REQUEST', 'Failed to parse body: EOF');
  try {
    return parseJsonExact(text, ['Flags']);
  } catch (err) {
    throw new WeftError('BAD_REQUEST', `Failed to parse body: ${(err as Error).message}`);
  }
}

async function txn(req: ApiRequest, ctx: ApiContext, maxLen: number): Promise<Reply> {
  const body = await readOps(req, maxLen);
  const { ops, submitted } = decodeTxnOps(body, ctx.agent.config.datacenter);
  if (submitted > MAX_TXN_OPS) {
    throw new WeftError('PAYLOAD_TOO_LARGE', `Transaction contains too many operations (${submitted} > ${MAX_TXN_OPS})`);
  }
  const maxValue = ctx.agent.config.limits.kvMaxValueSize;
  for (const op of ops) {
    const size = 'KV' in op ? (op.KV.Value?.length ?? 0) : 0;
    if ('KV' in op && size > maxValue) {
      throw new WeftError('PAYLOAD_TOO_LARGE', `Value for key ${JSON.stringify(op.KV.Key)} is too large (${size} > ${maxValue} bytes)`);
    }
  }
  const refused = preCheck(req, ctx, ops);
  const writes = ops.some(isWrite);
  // Reads only: no log entry, served from this server's memory with the consistency headers.
  const meta = writes ? {} : { index: ctx.store.index };
  if (refused.length) return reply(req, { Results: null, Errors: refused }, meta);
  const acl = new ResultFilter(req, ctx);
  const visible = (o: TxnOutcome): TxnOutcome => (o.Results ? { ...o, Results: filterTxnResults(acl, o.Results) } : o);
  // Only a read-only transaction says it was filtered (Consul sets the query meta for those alone).
  if (!writes) return acl.reply(reply(req, visible(txnRead(ctx.store, ops)), meta));
  const op: TxnApplyOp = { type: 'txn.apply', Ops: ops };
  return reply(req, visible(await ctx.store.apply<TxnOutcome>(op)));
}

export function txnRoutes(ctx: ApiContext): Route[] {
  const { kvMaxValueSize, txnMaxReqLen } = ctx.agent.config.limits;
  // Consul lets the larger of the two bound a transaction's body.
  const maxLen = Math.max(kvMaxValueSize, txnMaxReqLen);
  return [{ method: 'PUT', path: '/v1/txn', name: 'txn', handler: (req, c) => txn(req, c, maxLen), maxBody: maxLen }];
}
