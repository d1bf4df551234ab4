import { WeftError } from '../../lib/errors.js';
import { decodeSnapshotArchive, encodeSnapshotArchive } from '../../snapshot/index.js';
import type { Route } from '../routes.js';

/** A restore carries the whole state; far above any other request body. */
const SNAPSHOT_MAX_BODY = 1024 * 1024 * 1024;

/**
 * `/v1/snapshot`: the whole state as Weft's archive (gzipped JSON lines of every table's
 * rows, plus meta and a checksum; see docs/ha.md). Saved from any backend, restored into
 * any backend, so an embedded server moves onto etcd and back. It is not Consul's raft
 * snapshot format, and neither restores into the other. As in Consul, both directions need
 * `acl = "write"` (a snapshot holds every token).
 */
export const snapshotRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/snapshot',
    name: 'snapshot.save',
    handler: async (req, ctx) => {
      ctx.authz.check(req.token, { kind: 'acl' }, 'write');
      // Consul reads the snapshot on the leader; here, everything committed before the request is in it (unless ?stale).
      if (!req.has('stale') && !req.has('consistent')) await ctx.store.barrier();
      const data = ctx.store.snapshot();
      return { raw: await encodeSnapshotArchive(data), contentType: 'application/gzip', index: data.meta.Index };
    },
  },
  {
    method: 'PUT',
    path: '/v1/snapshot',
    name: 'snapshot.restore',
    maxBody: SNAPSHOT_MAX_BODY,
    handler: async (req, ctx) => {
      ctx.authz.check(req.token, { kind: 'acl' }, 'write');
      const body = await req.body();
      if (body.length === 0) throw new WeftError('BAD_REQUEST', 'Invalid snapshot: empty request body');
      const { data } = await decodeSnapshotArchive(body);
      await ctx.store.restore(data);
      return { raw: '' };
    },
  },
];
