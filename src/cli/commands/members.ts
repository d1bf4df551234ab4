import type { AgentMember } from '../../api/index.js';
import { apiClient } from '../client.js';
import { defineCommand } from '../command.js';
import { flag } from '../flags.js';
import { httpClientFlags } from '../http-flags.js';
import { columns } from '../table.js';

const STATUS = ['none', 'alive', 'leaving', 'left', 'failed'];

export const membersCommand = defineCommand({
  name: 'members',
  synopsis: 'Lists the members of a Weft cluster',
  help: 'Outputs the members of a running Weft agent: servers first, then clients.',
  flags: {
    ...httpClientFlags,
    detailed: flag.bool('Provides detailed information about nodes.'),
    status: flag.string('If provided, output is filtered to only nodes matching the regular expression for status.', '.*'),
    wan: flag.bool('If specified, lists WAN members instead of the LAN members.'),
    filter: flag.string('Filter expression to apply to the members (same language as ?filter=).'),
    segment: flag.string('(Enterprise-only) segment to list.', '', { hidden: true }),
  },
  async run({ flags, io }) {
    let statusRe: RegExp;
    try {
      statusRe = new RegExp(flags.status);
    } catch (err) {
      io.stderr(`Failed to compile status regexp: ${(err as Error).message}\n`);
      return 1;
    }
    const client = apiClient(flags, io);
    let members: AgentMember[];
    try {
      members = (await client.get<AgentMember[]>('/v1/agent/members', { query: { wan: flags.wan || undefined, filter: flags.filter || undefined } })).body;
    } finally {
      client.close();
    }
    const shown = members.filter((m) => statusRe.test(STATUS[m.Status] ?? 'unknown'));
    if (shown.length === 0) return 2;
    const rows: string[][] = [];
    if (flags.detailed) {
      rows.push(['Node', 'Address', 'Status', 'Tags']);
      for (const m of shown) {
        const tags = Object.entries(m.Tags).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(',');
        rows.push([m.Name, `${m.Addr}:${m.Port}`, STATUS[m.Status] ?? 'unknown', tags]);
      }
    } else {
      rows.push(['Node', 'Address', 'Status', 'Type', 'Build', 'Protocol', 'DC', 'Partition', 'Segment']);
      for (const m of shown) {
        const server = m.Tags.role === 'consul';
        rows.push([
          m.Name,
          `${m.Addr}:${m.Port}`,
          STATUS[m.Status] ?? 'unknown',
          server ? 'server' : 'client',
          (m.Tags.build ?? '').split(':')[0],
          m.Tags.vsn ?? '',
          m.Tags.dc ?? '',
          'default',
          server ? '<all>' : '<default>',
        ]);
      }
    }
    io.stdout(columns(rows));
    return 0;
  },
});
