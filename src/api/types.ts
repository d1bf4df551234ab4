/** Consul's wire shapes, as the API sends them (PascalCase). */
export interface AgentMember {
  Name: string;
  Addr: string;
  Port: number;
  Tags: Record<string, string>;
  Status: number;
  ProtocolMin: number;
  ProtocolMax: number;
  ProtocolCur: number;
  DelegateMin: number;
  DelegateMax: number;
  DelegateCur: number;
}

export interface KVPair {
  Key: string;
  Flags: number;
  Value: string | null;
  LockIndex: number;
  Session?: string;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface AgentSelf {
  Config: {
    Datacenter: string;
    PrimaryDatacenter: string;
    NodeName: string;
    NodeID: string;
    Revision: string;
    Server: boolean;
    Version: string;
  };
  DebugConfig: Record<string, unknown>;
  Member: AgentMember | null;
  Stats: Record<string, Record<string, string>>;
  Meta: Record<string, string>;
}
