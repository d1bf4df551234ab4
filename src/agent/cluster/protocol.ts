/**
 * Weft's cluster traffic: plain HTTP/1.1 with JSON bodies, on two server ports.
 *
 * - The serf LAN port (8301) carries membership: a client's heartbeat (its first one is its
 *   join) and its leave. `-join`/`-retry-join` name this port.
 * - The server RPC port (8300) serves the whole HTTP API to clients, which forward every
 *   non-agent request there, plus the anti-entropy sync of a client's node.
 *
 * The routes live under `/v1/internal/weft/` and are served only on those ports, never on
 * the HTTP API port.
 */
import type { Member } from '../../http/index.js';

export const CLUSTER_ROUTES = {
  heartbeat: '/v1/internal/weft/cluster/heartbeat',
  leave: '/v1/internal/weft/cluster/leave',
  sync: '/v1/internal/weft/catalog/sync',
  /** A client agent resolving an ACL token (its own store holds none). */
  aclResolve: '/v1/internal/weft/acl/resolve',
} as const;

/** How often a client tells the server it is alive. */
export const HEARTBEAT_INTERVAL_MS = 1000;
/** A member not heard from for this long is failed, and its node's serfHealth critical. */
export const FAIL_AFTER_MS = 5000;
/** How often the server looks for silent members. */
export const SWEEP_INTERVAL_MS = 500;
/** Failed members are reaped (and their nodes deregistered) after this long, as serf's reconnect_timeout. */
export const RECONNECT_TIMEOUT_MS = 72 * 3600_000;
/** Left members stay listed this long, as serf's tombstone timeout. */
export const TOMBSTONE_TIMEOUT_MS = 24 * 3600_000;

export interface HeartbeatRequest {
  Member: Member;
  /** The members list version the client holds; the answer carries the list only when it changed. */
  MembersVersion: number;
}

export interface HeartbeatResponse {
  /** Server RPC addresses (`host:port`) the client forwards to and syncs with. */
  Servers: string[];
  /** The server's fingerprint of the client's node (see nodeDigest). */
  Digest: string;
  MembersVersion: number;
  Members?: Member[];
}

export interface LeaveRequest {
  Name: string;
}
