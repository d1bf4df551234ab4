/** Consul's ACL wire shapes (api/acl.go), as the API sends and takes them. */
export interface ACLLink {
  ID: string;
  Name: string;
}

export interface ACLServiceIdentity {
  ServiceName: string;
  Datacenters?: string[];
}

export interface ACLNodeIdentity {
  NodeName: string;
  Datacenter: string;
}

export interface ACLToken {
  AccessorID: string;
  /** `<hidden>` unless the caller has acl:write. */
  SecretID: string;
  Description: string;
  Policies?: ACLLink[];
  Roles?: ACLLink[];
  ServiceIdentities?: ACLServiceIdentity[];
  NodeIdentities?: ACLNodeIdentity[];
  Local: boolean;
  ExpirationTime?: string;
  /** Only on create: a Go duration ("1h") or nanoseconds. */
  ExpirationTTL?: string | number;
  CreateTime: string;
  Hash: string;
  CreateIndex: number;
  ModifyIndex: number;
}

/** `PUT /v1/acl/bootstrap` answers the token plus its secret again as the legacy `ID`. */
export interface ACLBootstrapToken extends ACLToken {
  ID: string;
}

export interface ACLPolicy {
  ID: string;
  Name: string;
  Description: string;
  Rules: string;
  Datacenters?: string[];
  Hash: string;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface ACLPolicyListEntry {
  ID: string;
  Name: string;
  Description: string;
  Datacenters: string[] | null;
  Hash: string;
  CreateIndex: number;
  ModifyIndex: number;
}

export interface ACLRole {
  ID: string;
  Name: string;
  Description: string;
  Policies?: ACLLink[];
  ServiceIdentities?: ACLServiceIdentity[];
  NodeIdentities?: ACLNodeIdentity[];
  Hash: string;
  CreateIndex: number;
  ModifyIndex: number;
}

/** `GET /v1/acl/token/:id?expanded`: the token with everything that decides its rights. */
export interface ACLTokenExpanded extends ACLToken {
  ExpandedPolicies: ACLPolicy[];
  ExpandedRoles: ACLRole[];
  NamespaceDefaultPolicyIDs: string[];
  NamespaceDefaultRoleIDs: string[];
  AgentACLDefaultPolicy: string;
  AgentACLDownPolicy: string;
  ResolvedByAgent: string;
}

export interface ACLAuthorizationRequest {
  Resource: string;
  Segment?: string;
  Access: string;
}

export interface ACLAuthorizationResponse extends ACLAuthorizationRequest {
  Allow: boolean;
}
