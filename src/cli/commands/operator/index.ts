import type { Command } from '../../command.js';
import { defineGroup } from '../../command.js';
import { raftListPeersCommand } from './raft-list-peers.js';

const operatorGroup = defineGroup({
  name: 'operator',
  synopsis: 'Provides cluster-level tools for Weft operators',
  help: `
    Provides cluster-level tools for Weft operators.

        $ weft operator raft list-peers
  `,
});

const raftGroup = defineGroup({
  name: 'operator raft',
  synopsis: 'Provides cluster-level tools for the servers sharing the state',
  help: `
    Shows the servers sharing the cluster's state. Weft keeps no raft of its own:
    with the embedded store there is one server; with -store=etcd, consensus is
    etcd's, and these are the Weft servers registered there, one of them leader.

        $ weft operator raft list-peers
  `,
});

export const operatorCommands: Command[] = [operatorGroup, raftGroup, raftListPeersCommand];
