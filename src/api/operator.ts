/** A server in `/v1/operator/raft/configuration` (Consul's api.RaftServer). */
export interface RaftServer {
  ID: string;
  Node: string;
  Address: string;
  Leader: boolean;
  Voter: boolean;
  ProtocolVersion: string;
}

/** `/v1/operator/raft/configuration` (Consul's api.RaftConfiguration). */
export interface RaftConfiguration {
  Servers: RaftServer[];
  Index: number;
}
