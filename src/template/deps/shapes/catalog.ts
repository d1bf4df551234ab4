/** What `services`, `nodes` and `node` return, with consul-template's field names. */
import { stringMap } from './go-maps.js';
import { ServiceTags } from './service-tags.js';

type Json = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** One entry of `services`: a service name and every tag any instance has. */
export class CatalogSnippet {
  constructor(
    readonly Name: string,
    readonly Tags: ServiceTags,
  ) {}
}

export class Node {
  readonly ID: string;
  readonly Node: string;
  readonly Address: string;
  readonly Datacenter: string;
  readonly TaggedAddresses: Record<string, string>;
  readonly Meta: Record<string, string>;

  constructor(n: Json) {
    this.ID = str(n.ID);
    this.Node = str(n.Node);
    this.Address = str(n.Address);
    this.Datacenter = str(n.Datacenter);
    this.TaggedAddresses = stringMap(n.TaggedAddresses as Record<string, string> | undefined);
    this.Meta = stringMap(n.Meta as Record<string, string> | undefined);
  }
}

export class CatalogNodeService {
  readonly ID: string;
  readonly Service: string;
  readonly Tags: ServiceTags;
  readonly Meta: Record<string, string>;
  readonly Port: number;
  readonly Address: string;
  readonly EnableTagOverride: boolean;

  constructor(s: Json) {
    this.ID = str(s.ID);
    this.Service = str(s.Service);
    this.Tags = ServiceTags.sorted(s.Tags as string[] | undefined);
    this.Meta = stringMap(s.Meta as Record<string, string> | undefined);
    this.Port = typeof s.Port === 'number' ? s.Port : 0;
    this.Address = str(s.Address);
    this.EnableTagOverride = s.EnableTagOverride === true;
  }
}

/** `node`: the node and its services; both nil for a node the catalog does not have. */
export class CatalogNode {
  constructor(
    readonly Node: Node | null,
    readonly Services: CatalogNodeService[] | null,
  ) {}
}
