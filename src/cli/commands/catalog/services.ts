import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { flag } from '../../flags.js';
import { httpClientFlags } from '../../http-flags.js';
import { nodeMetaQuery } from './node-meta.js';

interface CatalogNode {
  Services: Record<string, { Service: string; Tags: string[] | null }>;
}

/**
 * consul prints `-tags` through a tabwriter with 6 spaces of padding: each name padded to
 * the longest plus six, then the tags sorted and comma-joined.
 */
function withTags(services: Map<string, string[]>, order: string[]): string {
  const width = Math.max(...order.map((s) => s.length)) + 6;
  const lines = order.map((s) => s.padEnd(width) + [...services.get(s)!].sort().join(','));
  return `${lines.join('\n').trim()}\n`;
}

export const catalogServicesCommand = defineCommand({
  name: 'catalog services',
  synopsis: 'Lists all registered services in a datacenter',
  help: `
    Lists the services of the catalog, sorted by name, optionally with their tags.

      $ weft catalog services
      $ weft catalog services -tags
      $ weft catalog services -node=worker-01
      $ weft catalog services -node-meta=rack=r1
  `,
  flags: {
    ...httpClientFlags,
    filter: flag.string('Filter to use with the request (selects instances by their catalog fields).'),
    node: flag.string('Node `id or name` for which to list services.'),
    'node-meta': flag.keyValue('Metadata to filter nodes with the given `key=value` pairs. If specified, only services running on nodes matching this metadata will be returned. This flag may be specified multiple times to filter on multiple sources of metadata.', '='),
    tags: flag.bool("Display each service's tags as a comma-separated list beside each service entry."),
  },
  async run({ flags, args, io }) {
    if (args.length) {
      io.stderr(`Too many arguments (expected 0, got ${args.length})\n`);
      return 1;
    }
    const query = { 'node-meta': nodeMetaQuery(flags['node-meta']), filter: flags.filter || undefined };
    const client = apiClient(flags, io);
    const services = new Map<string, string[]>();
    try {
      if (flags.node) {
        const node = (await client.get<CatalogNode | null>(`/v1/catalog/node/${encodeURIComponent(flags.node)}`, { query })).body;
        for (const s of Object.values(node?.Services ?? {})) services.set(s.Service, [...(services.get(s.Service) ?? []), ...(s.Tags ?? [])]);
      } else {
        const all = (await client.get<Record<string, string[]>>('/v1/catalog/services', { query })).body;
        for (const [name, tags] of Object.entries(all)) services.set(name, tags ?? []);
      }
    } catch (err) {
      io.stderr(`Error listing services${flags.node ? ' for node' : ''}: ${(err as Error).message}\n`);
      return 1;
    } finally {
      client.close();
    }
    if (services.size === 0) {
      io.stderr('No services match the given query - try expanding your search.\n');
      return 0;
    }
    const order = [...services.keys()].sort();
    io.stdout(flags.tags ? withTags(services, order) : order.map((s) => `${s}\n`).join(''));
    return 0;
  },
});
