import { apiClient } from '../client.js';
import { defineCommand } from '../command.js';
import { flag } from '../flags.js';
import { httpClientFlags } from '../http-flags.js';

interface AgentCheck {
  CheckID: string;
  ServiceID: string;
  Notes: string;
}

export const maintCommand = defineCommand({
  name: 'maint',
  synopsis: 'Controls node or service maintenance mode',
  help: `
    Places a node or service into maintenance mode. During maintenance mode, the node or
    service is excluded from all queries through the DNS or API interfaces, taking it out
    of the pool of available nodes: an additional critical health check is registered.

    With -enable you may give a reason; it appears in the "Notes" of that check.
    Maintenance mode survives an agent restart, so it must be disabled to put the node or
    service back into the pool. -service works on one service ID instead of the node.

    Without arguments, the agent's maintenance status is shown (blank when nothing is in
    maintenance).
  `,
  flags: {
    ...httpClientFlags,
    enable: flag.bool('Enable maintenance mode.'),
    disable: flag.bool('Disable maintenance mode.'),
    reason: flag.string('Text describing the maintenance reason.'),
    service: flag.string('Control maintenance mode for a specific service ID.'),
  },
  async run({ flags, io }) {
    if (flags.enable && flags.disable) {
      io.stderr('Only one of -enable or -disable may be provided\n');
      return 1;
    }
    if (!flags.enable && flags.reason !== '') {
      io.stderr('Reason may only be provided with -enable\n');
      return 1;
    }
    if (!flags.enable && !flags.disable && flags.service !== '') {
      io.stderr('Service requires either -enable or -disable\n');
      return 1;
    }
    const client = apiClient(flags, io);
    try {
      if (!flags.enable && !flags.disable) {
        const self = (await client.get<{ Config: { NodeName: string } }>('/v1/agent/self')).body;
        const checks = (await client.get<Record<string, AgentCheck>>('/v1/agent/checks')).body;
        for (const c of Object.values(checks)) {
          if (c.CheckID === '_node_maintenance') io.stdout(`Node:\n  Name:   ${self.Config.NodeName}\n  Reason: ${c.Notes}\n\n`);
          else if (c.CheckID.startsWith('_service_maintenance:')) io.stdout(`Service:\n  ID:     ${c.ServiceID}\n  Reason: ${c.Notes}\n\n`);
        }
        return 0;
      }
      const enable = flags.enable;
      const what = flags.service ? 'service' : 'node';
      try {
        const query = { enable: String(enable), ...(enable && flags.reason ? { reason: flags.reason } : {}) };
        if (flags.service) await client.put(`/v1/agent/service/maintenance/${encodeURIComponent(flags.service)}`, { query });
        else await client.put('/v1/agent/maintenance', { query });
      } catch (err) {
        io.stderr(`Error ${enable ? 'enabling' : 'disabling'} ${what} maintenance: ${(err as Error).message}\n`);
        return 1;
      }
      const state = enable ? 'enabled' : 'disabled';
      io.stdout(flags.service ? `Service maintenance is now ${state} for ${JSON.stringify(flags.service)}\n` : `Node maintenance is now ${state}\n`);
      return 0;
    } finally {
      client.close();
    }
  },
});
