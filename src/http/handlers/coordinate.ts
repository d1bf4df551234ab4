import { WeftError } from '../../lib/errors.js';
import { COORD_DIMENSIONS, coordOf, listCoordinates, nodeCoordinates, type Coord, type CoordinateRow, type CoordinateUpdateOp } from '../../state/index.js';
import { ResultFilter } from '../acl-filter.js';
import { blockingQuery } from '../blocking.js';
import type { ApiContext } from '../context.js';
import { FieldReader } from '../decode/fields.js';
import type { ApiRequest } from '../request.js';
import type { Reply } from '../reply.js';
import type { Route } from '../routes.js';

const coordinateJson = (c: CoordinateRow) => ({ Node: c.Node, Segment: c.Segment, Coord: c.Coord });

/** `?segment=` narrows to one network segment, as Consul's filterCoordinates does. */
function bySegment(req: ApiRequest, rows: CoordinateRow[]): CoordinateRow[] {
  if (!req.has('segment')) return rows;
  const segment = req.get('segment') ?? '';
  return rows.filter((c) => c.Segment === segment);
}

/**
 * `/v1/coordinate/datacenters`: the servers of each datacenter in the WAN pool with their
 * coordinates. Weft has one datacenter; its servers are the members tagged as servers.
 */
function datacenters(_req: ApiRequest, ctx: ApiContext): Reply {
  const dc = ctx.agent.config.datacenter;
  const servers = ctx.agent.members().filter((m) => m.Tags.role === 'consul');
  const coordinates = servers
    .map((m) => ({ Node: `${m.Name}.${dc}`, Segment: '', Coord: coordOf(ctx.store, m.Name) }))
    .sort((a, b) => (a.Node < b.Node ? -1 : 1));
  return { body: [{ Datacenter: dc, AreaID: 'WAN', Coordinates: coordinates }] };
}

function nodes(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = listCoordinates(ctx.store, ws);
    const acl = new ResultFilter(req, ctx);
    const rows = bySegment(req, r.coordinates).filter((c) => acl.allows({ kind: 'node', name: c.Node }));
    return { index: r.index, reply: acl.reply({ body: rows.map(coordinateJson) }) };
  });
}

/** One node's coordinates; 404 with an empty body for a node the catalog does not have. */
function node(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const name = req.params.node ?? '';
  ctx.authz.check(req.token, { kind: 'node', name }, 'read');
  return blockingQuery(req, ctx.store.hub, ctx.limits, (ws) => {
    const r = nodeCoordinates(ctx.store, ws, name);
    const rows = bySegment(req, r.coordinates ?? []);
    return { index: r.index, reply: rows.length ? { body: rows.map(coordinateJson) } : { status: 404 } };
  });
}

/** A coordinate is usable when it has Serf's 8 dimensions and every component is a finite number. */
function decodeCoord(r: FieldReader | undefined): Coord {
  if (!r) throw new WeftError('BAD_REQUEST', 'Missing coordinate (Coord)');
  const vec = r.raw('Vec');
  if (!Array.isArray(vec) || vec.length !== COORD_DIMENSIONS) {
    throw new WeftError('BAD_REQUEST', `incompatible coordinate: Vec must have ${COORD_DIMENSIONS} dimensions`);
  }
  const numbers = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  const coord = { Vec: vec as number[], Error: r.raw('Error'), Adjustment: r.raw('Adjustment') ?? 0, Height: r.raw('Height') ?? 0 };
  if (!vec.every(numbers) || ![coord.Error, coord.Adjustment, coord.Height].every(numbers)) throw new WeftError('BAD_REQUEST', 'invalid coordinate');
  return coord as Coord;
}

/**
 * `PUT /v1/coordinate/update` with `{Node, Segment, Coord}`. Stored at once (Consul batches
 * for its Raft log); an update for a node the catalog does not have is dropped, as in Consul.
 * Answers 200 with an empty body.
 */
async function update(req: ApiRequest, ctx: ApiContext): Promise<Reply> {
  const r = FieldReader.of(await req.json(), 'CoordinateUpdateRequest');
  const nodeName = r.string('Node');
  if (!nodeName) throw new WeftError('BAD_REQUEST', 'Must provide node');
  ctx.authz.check(req.token, { kind: 'node', name: nodeName }, 'write');
  const op: CoordinateUpdateOp = {
    type: 'coordinate.update',
    Updates: [{ Node: nodeName, Segment: r.string('Segment'), Coord: decodeCoord(r.object('Coord')) }],
  };
  await ctx.store.apply(op);
  return {};
}

export const coordinateRoutes: Route[] = [
  { method: 'GET', path: '/v1/coordinate/datacenters', name: 'coordinate.datacenters', handler: datacenters },
  { method: 'GET', path: '/v1/coordinate/nodes', name: 'coordinate.nodes', handler: nodes },
  { method: 'GET', path: '/v1/coordinate/node/:node', name: 'coordinate.node', handler: node },
  { method: 'PUT', path: '/v1/coordinate/update', name: 'coordinate.update', handler: update },
];
