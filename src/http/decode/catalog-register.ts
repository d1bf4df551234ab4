import { WeftError } from '../../lib/errors.js';
import type { DeregisterInput, RegisterInput } from '../../state/index.js';
import { FieldReader } from './fields.js';
import { decodeCatalogCheck } from './health-check.js';
import { decodeNodeService } from './node-service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Consul's node ID check (`uuid.ParseUUID`) and its messages. */
function checkNodeId(id: string): void {
  if (!id) return;
  if (id.length !== 36) throw new WeftError('BAD_REQUEST', 'Bad node ID: uuid string is wrong length');
  if (!UUID.test(id)) throw new WeftError('BAD_REQUEST', 'Bad node ID: uuid is improperly formatted');
}

function checkDatacenter(r: FieldReader, datacenter: string): void {
  const dc = r.string('Datacenter');
  if (dc && dc !== datacenter) throw new WeftError('NO_PATH_TO_DC', 'No path to datacenter');
}

/**
 * `/v1/catalog/register`'s body (Consul's RegisterRequest) into the `catalog.register` op,
 * with Consul's defaults and validation. Everything is checked before anything is stored.
 */
export function decodeCatalogRegister(body: unknown, datacenter: string): RegisterInput {
  const r = FieldReader.of(body, 'RegisterRequest');
  checkDatacenter(r, datacenter);
  const node = r.string('Node');
  if (!node) throw new WeftError('BAD_REQUEST', 'Must provide node');
  const id = r.string('ID');
  checkNodeId(id);
  const skipNodeUpdate = r.bool('SkipNodeUpdate');
  const address = r.string('Address');
  if (!address && !skipNodeUpdate) throw new WeftError('BAD_REQUEST', 'Must provide address if SkipNodeUpdate is not set');
  const out: RegisterInput = {
    Node: {
      ID: id,
      Node: node,
      Address: address,
      Datacenter: datacenter,
      TaggedAddresses: r.stringMap('TaggedAddresses') ?? {},
      Meta: r.stringMap('NodeMeta') ?? {},
    },
  };
  if (skipNodeUpdate) out.SkipNodeUpdate = true;
  const service = r.object('Service');
  if (service) out.Service = decodeNodeService(service);
  // The single `Check` is the older form; Consul appends it to `Checks`.
  const checks = [...(r.objectList('Checks') ?? [])];
  const single = r.object('Check');
  if (single) checks.push(single);
  if (checks.length) out.Checks = checks.map((c) => decodeCatalogCheck(c, node));
  return out;
}

/** `/v1/catalog/deregister`'s body: a node, or one service or check on it. */
export function decodeCatalogDeregister(body: unknown, datacenter: string): DeregisterInput {
  const r = FieldReader.of(body, 'DeregisterRequest');
  checkDatacenter(r, datacenter);
  const node = r.string('Node');
  if (!node) throw new WeftError('BAD_REQUEST', 'Must provide node');
  const out: DeregisterInput = { Node: node };
  const serviceId = r.string('ServiceID');
  const checkId = r.string('CheckID');
  if (serviceId) out.ServiceID = serviceId;
  if (checkId) out.CheckID = checkId;
  return out;
}
