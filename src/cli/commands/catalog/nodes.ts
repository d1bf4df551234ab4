import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { flag } from '../../flags.js';
import { httpClientFlags } from '../../http-flags.js';
import { columns } from '../../table.js';
import { mapToKV, nodeMetaQuery } from './node-meta.js';

interface NodeEntry {
  ID: string;
  Node: string;
  Address: string;
  Datacenter: string;
  TaggedAddresses: Record<string, string> | null;
  Meta: Record<string, string> | null;
}

interface ServiceNodeEntry extends Omit<NodeEntry, 'Meta'> {
  NodeMeta: Record<string, string> | null;
}

export const catalogNodesCommand = defineCommand({
  name: 'catalog nodes',
  synopsis: 'Lists all nodes in the given datacenter',
  help: `
    Lists the nodes of the catalog: name, ID (its first block unless -detailed),
    address and datacenter.

      $ weft catalog nodes
      $ weft catalog nodes -service=web -near=_agent
      $ weft catalog nodes -node-meta=rack=r1 -detailed
      $ weft catalog nodes -filter='Meta.env == "prod"'
  `,
  flags: {
    ...httpClientFlags,
    detailed: flag.bool('Output detailed information about the nodes including their addresses and metadata.'),
    filter: flag.string('Filter to use with the request.'),
    near: flag.string('Node name to sort the node list in ascending order based on estimated round-trip time from that node. Passing "_agent" will use this agent\'s node for sorting.'),
    'node-meta': flag.keyValue('Metadata to filter nodes with the given `key=value` pairs. This flag may be specified multiple times to filter on multiple sources of metadata.', '='),
    service: flag.string('Service `name` to filter nodes. Only nodes which are providing the given service will be returned.'),
  },
  async run({ flags, args, io }) {
    if (args.length) {
      io.stderr(`Too many arguments (expected 0, got ${args.length})\n`);
      return 1;
    }
    const query = { near: flags.near || undefined, 'node-meta': nodeMetaQuery(flags['node-meta']), filter: flags.filter || undefined };
    const client = apiClient(flags, io);
    let nodes: NodeEntry[];
    try {
      if (flags.service) {
        const entries = (await client.get<ServiceNodeEntry[]>(`/v1/catalog/service/${encodeURIComponent(flags.service)}`, { query })).body;
        nodes = entries.map((s) => ({ ID: s.ID, Node: s.Node, Address: s.Address, Datacenter: s.Datacenter, TaggedAddresses: s.TaggedAddresses, Meta: s.NodeMeta }));
      } else {
        nodes = (await client.get<NodeEntry[]>('/v1/catalog/nodes', { query })).body;
      }
    } catch (err) {
      io.stderr(`Error listing nodes${flags.service ? ' for service' : ''}: ${(err as Error).message}\n`);
      return 1;
    } finally {
      client.close();
    }
    if (nodes.length === 0) {
      io.stderr('No nodes match the given query - try expanding your search.\n');
      return 0;
    }
    const rows: string[][] = [];
    if (flags.detailed) {
      rows.push(['Node', 'ID', 'Address', 'DC', 'TaggedAddresses', 'Meta']);
      for (const n of nodes) rows.push([n.Node, n.ID, n.Address, n.Datacenter, mapToKV(n.TaggedAddresses, ', '), mapToKV(n.Meta, ', ')]);
    } else {
      rows.push(['Node', 'ID', 'Address', 'DC']);
      for (const n of nodes) {
        // Only the first block of the ID, as consul prints it.
        const dash = n.ID.indexOf('-');
        rows.push([n.Node, dash > 0 ? n.ID.slice(0, dash) : n.ID, n.Address, n.Datacenter]);
      }
    }
    io.stdout(columns(rows));
    return 0;
  },
});
