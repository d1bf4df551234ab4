import type { RuntimeConfig } from '../../config/index.js';
import type { Member } from '../../http/index.js';
import { SERF_CHECK_ID, SERF_CHECK_NAME, type CheckInput, type NodeInput, type ServiceInput } from '../../state/index.js';
import { CONSUL_API_VERSION } from '../../version.js';
import { CONSUL_SERVICE_ID } from './catalog-sync.js';

/** Consul's serfHealth check, as the servers keep it for every agent's node. */
export function serfHealthCheck(status: 'passing' | 'critical'): CheckInput {
  return {
    CheckID: SERF_CHECK_ID,
    Name: SERF_CHECK_NAME,
    Status: status,
    Notes: '',
    Output: status === 'passing' ? 'Agent alive and reachable' : 'Agent not live or unreachable',
    ServiceID: '',
    Type: '',
    Interval: '',
    Timeout: '',
    ExposedPort: 0,
    Definition: {},
  };
}

const taggedAddresses = (address: string): Record<string, string> => ({ lan: address, lan_ipv4: address, wan: address, wan_ipv4: address });

/** An agent's own node: its ID, advertise address, and node_meta plus the keys Consul adds. */
export function agentNode(config: RuntimeConfig, nodeId: string, address: string): NodeInput {
  return {
    ID: nodeId,
    Node: config.nodeName,
    Address: address,
    Datacenter: config.datacenter,
    TaggedAddresses: taggedAddresses(address),
    Meta: { ...config.nodeMeta, 'consul-network-segment': '', 'consul-version': CONSUL_API_VERSION },
  };
}

/** The node of a member that just joined; used only when the catalog does not have it yet (its agent's sync fills the rest). */
export function nodeForMember(m: Member, datacenter: string): NodeInput {
  return { ID: m.Tags.id ?? '', Node: m.Name, Address: m.Addr, Datacenter: datacenter, TaggedAddresses: taggedAddresses(m.Addr), Meta: {} };
}

/** The `consul` service every server registers, so `consul.service.consul` finds the servers. */
export function consulService(config: RuntimeConfig): ServiceInput {
  return {
    Kind: '',
    ID: CONSUL_SERVICE_ID,
    Service: CONSUL_SERVICE_ID,
    Tags: [],
    Address: '',
    TaggedAddresses: {},
    Meta: {
      non_voter: 'false',
      raft_version: '3',
      read_replica: 'false',
      serf_protocol_current: '2',
      serf_protocol_max: '5',
      serf_protocol_min: '1',
      version: CONSUL_API_VERSION,
    },
    Port: config.ports.server,
    SocketPath: '',
    Weights: { Passing: 1, Warning: 1 },
    EnableTagOverride: false,
    Proxy: { MeshGateway: {}, Expose: {} },
    Connect: {},
  };
}
