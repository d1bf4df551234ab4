import type { NodeRow } from '../../state/index.js';
import { cachedShape } from './cache.js';

/** Consul's Node JSON (`structs.Node`): Partition, PeerName and Locality are omitempty and absent in Weft. */
export function nodeJson(n: NodeRow): Record<string, unknown> {
  return cachedShape(n, () => ({
    ID: n.ID,
    Node: n.Node,
    Address: n.Address,
    Datacenter: n.Datacenter,
    TaggedAddresses: n.TaggedAddresses,
    Meta: n.Meta,
    CreateIndex: n.CreateIndex,
    ModifyIndex: n.ModifyIndex,
  }));
}
