import type { Logger } from 'pino';
import type { RuntimeConfig } from '../config/index.js';
import type { StateStore } from '../state/index.js';
import type { Authorizer } from './authorizer.js';
import type { BlockingLimits } from './blocking.js';
import type { Metrics } from '../telemetry/metrics.js';

/** What the agent tells the API about itself: identity, role, and cluster view. */
export interface AgentView {
  readonly config: RuntimeConfig;
  readonly nodeId: string;
  readonly startedAt: Date;
  /** Server RPC address of the leader, '' when none is known. */
  leaderAddress(): string;
  /** Server RPC addresses of the voting servers. */
  peers(): string[];
  isLeader(): boolean;
  /** Milliseconds since this server last heard from the leader (0 on the leader). */
  lastContactMs(): number;
  members(): Member[];
  /** The servers sharing the cluster's state (`/v1/operator/raft/configuration`). */
  raftServers(): RaftServer[];
  /** Asks the agent to leave the cluster and stop; resolves once the request is accepted. */
  leave(): Promise<void>;
}

/** A server as Consul's /v1/operator/raft/configuration lists it. */
export interface RaftServer {
  ID: string;
  Node: string;
  Address: string;
  Leader: boolean;
  Voter: boolean;
  ProtocolVersion: string;
}

/** A cluster member as Consul's /v1/agent/members shows it. */
export interface Member {
  Name: string;
  Addr: string;
  Port: number;
  Tags: Record<string, string>;
  /** 1 alive, 2 leaving, 3 left, 4 failed (serf's numbering). */
  Status: number;
  ProtocolMin: number;
  ProtocolMax: number;
  ProtocolCur: number;
  DelegateMin: number;
  DelegateMax: number;
  DelegateCur: number;
}

export interface ApiContext {
  store: StateStore;
  agent: AgentView;
  authz: Authorizer;
  metrics: Metrics;
  log: Logger;
  limits: BlockingLimits;
}
