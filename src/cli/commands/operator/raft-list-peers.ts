import type { RaftConfiguration } from '../../../api/index.js';
import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { httpFlags } from '../../http-flags.js';
import { columns } from '../../table.js';

export const raftListPeersCommand = defineCommand({
  name: 'operator raft list-peers',
  synopsis: 'Display the current Raft peer configuration',
  help: `
    Displays the servers sharing the cluster's state and which one leads.
    With -stale, any server answers, even while no leader is elected.

        $ weft operator raft list-peers
  `,
  flags: { ...httpFlags },
  async run({ flags, io }) {
    const client = apiClient(flags, io);
    try {
      const r = await client.get<RaftConfiguration>('/v1/operator/raft/configuration');
      const rows = [['Node', 'ID', 'Address', 'State', 'Voter', 'RaftProtocol']];
      for (const s of r.body.Servers) rows.push([s.Node, s.ID, s.Address, s.Leader ? 'leader' : 'follower', String(s.Voter), s.ProtocolVersion || '<=1']);
      io.stdout(columns(rows));
      return 0;
    } catch (err) {
      io.stderr(`Error getting peers: Failed to retrieve raft configuration: ${(err as Error).message}\n`);
      return 1;
    } finally {
      client.close();
    }
  },
});
