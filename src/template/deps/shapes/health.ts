/**
 * What `service` and `connect` return: consul-template's `HealthService` (one healthy
 * instance, flattened from Consul's CheckServiceNode) with the field names templates use.
 */
import { goMap, stringMap } from './go-maps.js';
import { ServiceTags } from './service-tags.js';

type Json = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

export class HealthCheck {
  readonly Node: string;
  readonly CheckID: string;
  readonly Name: string;
  readonly Status: string;
  readonly Notes: string;
  readonly Output: string;
  readonly ServiceID: string;
  readonly ServiceName: string;
  readonly ServiceTags: ServiceTags;
  readonly Type: string;
  readonly Namespace: string;
  readonly Partition: string;
  readonly Definition: Record<string, unknown>;
  readonly CreateIndex: number;
  readonly ModifyIndex: number;

  constructor(c: Json) {
    this.Node = str(c.Node);
    this.CheckID = str(c.CheckID);
    this.Name = str(c.Name);
    this.Status = str(c.Status);
    this.Notes = str(c.Notes);
    this.Output = str(c.Output);
    this.ServiceID = str(c.ServiceID);
    this.ServiceName = str(c.ServiceName);
    this.ServiceTags = ServiceTags.sorted(c.ServiceTags as string[] | undefined);
    this.Type = str(c.Type);
    this.Namespace = str(c.Namespace);
    this.Partition = str(c.Partition);
    this.Definition = goMap(c.Definition as Json | undefined);
    this.CreateIndex = num(c.CreateIndex);
    this.ModifyIndex = num(c.ModifyIndex);
  }
}

const NODE_MAINT = '_node_maintenance';
const SERVICE_MAINT_PREFIX = '_service_maintenance:';

/** Consul api's HealthChecks, with its AggregatedStatus method. */
export class HealthChecks extends Array<HealthCheck> {
  static list(checks: HealthCheck[]): HealthChecks {
    const out = new HealthChecks();
    out.push(...checks);
    return out;
  }

  /** maintenance beats critical beats warning beats passing; no checks is passing. */
  AggregatedStatus(): string {
    let warning = false;
    let critical = false;
    let maintenance = false;
    for (const c of this) {
      if (c.CheckID === NODE_MAINT || c.CheckID.startsWith(SERVICE_MAINT_PREFIX)) {
        maintenance = true;
        continue;
      }
      if (c.Status === 'warning') warning = true;
      else if (c.Status === 'critical') critical = true;
      else if (c.Status !== 'passing') return '';
    }
    if (maintenance) return 'maintenance';
    if (critical) return 'critical';
    if (warning) return 'warning';
    return 'passing';
  }
}

export class AgentWeights {
  constructor(
    readonly Passing: number,
    readonly Warning: number,
  ) {}
}

export class ServiceAddress {
  constructor(
    readonly Address: string,
    readonly Port: number,
  ) {}
}

export class HealthService {
  readonly Node: string;
  readonly NodeID: string;
  readonly NodeAddress: string;
  readonly NodeTaggedAddresses: Record<string, string>;
  readonly NodeMeta: Record<string, string>;
  readonly ServiceMeta: Record<string, string>;
  /** The service's address, or its node's when the service has none. */
  readonly Address: string;
  readonly ServiceTaggedAddresses: Record<string, ServiceAddress>;
  readonly ID: string;
  readonly Name: string;
  readonly Tags: ServiceTags;
  readonly Checks: HealthChecks;
  readonly Status: string;
  readonly Port: number;
  readonly Weights: AgentWeights;

  constructor(entry: { Node?: Json; Service?: Json; Checks?: Json[] }) {
    const node = entry.Node ?? {};
    const svc = entry.Service ?? {};
    this.Node = str(node.Node);
    this.NodeID = str(node.ID);
    this.NodeAddress = str(node.Address);
    this.NodeTaggedAddresses = stringMap(node.TaggedAddresses as Record<string, string> | undefined);
    this.NodeMeta = stringMap(node.Meta as Record<string, string> | undefined);
    this.ServiceMeta = stringMap(svc.Meta as Record<string, string> | undefined);
    this.Address = str(svc.Address) || this.NodeAddress;
    const tagged: Record<string, ServiceAddress> = {};
    for (const [k, v] of Object.entries((svc.TaggedAddresses as Record<string, Json> | undefined) ?? {})) {
      tagged[k] = new ServiceAddress(str(v.Address), num(v.Port));
    }
    this.ServiceTaggedAddresses = goMap(tagged);
    this.ID = str(svc.ID);
    this.Name = str(svc.Service);
    this.Tags = ServiceTags.sorted(svc.Tags as string[] | undefined);
    this.Checks = HealthChecks.list((entry.Checks ?? []).map((c) => new HealthCheck(c)));
    this.Status = this.Checks.AggregatedStatus();
    this.Port = num(svc.Port);
    const w = (svc.Weights as Json | undefined) ?? {};
    this.Weights = new AgentWeights(num(w.Passing), num(w.Warning));
  }
}
