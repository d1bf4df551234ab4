import { WeftError } from '../../lib/errors.js';
import { toUint64 } from '../../lib/uint64-json.js';
import type { TxnOp } from '../../state/index.js';
import { FieldReader, decodeFailed } from '../decode/fields.js';
import { decodeCatalogCheck } from '../decode/health-check.js';
import { decodeNodeService } from '../decode/node-service.js';

/**
 * /v1/txn's body (Consul's api.TxnOps) into state txn ops. Set and cas verbs decode their
 * Service or Check as a catalog registration does (same defaults, same 400s); the other
 * verbs need only the identifying fields. Ops naming none of KV/Node/Service/Check are
 * dropped, as Consul's convertOps drops them, so OpIndex counts only the ops that remain.
 */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const WRITES_A_ROW = new Set(['set', 'cas']);

function value(r: FieldReader): Uint8Array | null {
  const v = r.string('Value');
  if (v === '') return null;
  if (!BASE64.test(v)) throw new WeftError('BAD_REQUEST', 'Failed to parse body: failed to decode value: illegal base64 data');
  const bytes = Buffer.from(v, 'base64');
  return bytes.length ? new Uint8Array(bytes) : null;
}

function kvOp(r: FieldReader): TxnOp {
  const raw = r.raw('Flags');
  const flags = raw === undefined ? 0 : toUint64(raw);
  if (flags === undefined) throw decodeFailed(`json: cannot unmarshal ${typeof raw} into Go struct field ${r.path}.Flags of type uint64`);
  return {
    KV: {
      Verb: r.string('Verb'),
      Key: r.string('Key'),
      Value: value(r),
      Flags: flags,
      Index: r.int('Index', { min: 0, goType: 'uint64' }) ?? 0,
      Session: r.string('Session'),
    },
  };
}

function nodeOp(r: FieldReader, datacenter: string): TxnOp {
  const n = FieldReader.of(r.raw('Node'), `${r.path}.Node`);
  return {
    Node: {
      Verb: r.string('Verb'),
      Node: {
        ID: n.string('ID'),
        Node: n.string('Node'),
        Address: n.string('Address'),
        Datacenter: n.string('Datacenter') || datacenter,
        TaggedAddresses: n.stringMap('TaggedAddresses') ?? {},
        Meta: n.stringMap('Meta') ?? {},
        ModifyIndex: n.int('ModifyIndex', { min: 0, goType: 'uint64' }) ?? 0,
      },
    },
  };
}

function serviceOp(r: FieldReader): TxnOp {
  const verb = r.string('Verb');
  const s = FieldReader.of(r.raw('Service'), `${r.path}.Service`);
  const modifyIndex = s.int('ModifyIndex', { min: 0, goType: 'uint64' }) ?? 0;
  const id = s.string('ID') || s.string('Service');
  const service = WRITES_A_ROW.has(verb) ? decodeNodeService(s) : identifiedService(id);
  return { Service: { Verb: verb, Node: r.string('Node'), Service: { ...service, ModifyIndex: modifyIndex } } };
}

function identifiedService(id: string) {
  return {
    Kind: '' as const,
    ID: id,
    Service: id,
    Tags: [],
    Address: '',
    TaggedAddresses: {},
    Meta: {},
    Port: 0,
    SocketPath: '',
    Weights: { Passing: 1, Warning: 1 },
    EnableTagOverride: false,
    Proxy: { MeshGateway: {}, Expose: {} },
    Connect: {},
  };
}

function checkOp(r: FieldReader): TxnOp {
  const verb = r.string('Verb');
  const c = FieldReader.of(r.raw('Check'), `${r.path}.Check`);
  const node = c.string('Node');
  const modifyIndex = c.int('ModifyIndex', { min: 0, goType: 'uint64' }) ?? 0;
  const check = WRITES_A_ROW.has(verb)
    ? decodeCatalogCheck(c, node)
    : { CheckID: c.string('CheckID'), Name: '', Status: 'critical' as const, Notes: '', Output: '', ServiceID: '', Type: '', Interval: '', Timeout: '', ExposedPort: 0, Definition: {} };
  return { Check: { Verb: verb, Check: { ...check, Node: node, ModifyIndex: modifyIndex } } };
}

/** Field errors are 400s with Go's wording; the caller handles a body that is not JSON at all. */
export function decodeTxnOps(body: unknown, datacenter: string): { ops: TxnOp[]; submitted: number } {
  if (!Array.isArray(body)) {
    throw new WeftError('BAD_REQUEST', `Failed to parse body: json: cannot unmarshal ${body === null ? 'null' : typeof body} into Go value of type api.TxnOps`);
  }
  const ops: TxnOp[] = [];
  body.forEach((raw, i) => {
    const r = FieldReader.of(raw, `TxnOps[${i}]`);
    const kv = r.object('KV');
    const node = r.object('Node');
    const service = r.object('Service');
    const check = r.object('Check');
    if (kv) ops.push(kvOp(kv));
    else if (node) ops.push(nodeOp(node, datacenter));
    else if (service) ops.push(serviceOp(service));
    else if (check) ops.push(checkOp(check));
  });
  return { ops, submitted: body.length };
}
