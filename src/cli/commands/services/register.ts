import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { flag } from '../../flags.js';
import { httpClientFlags } from '../../http-flags.js';
import { definitionField, servicesFromFiles } from './files.js';

/** `-tagged-address lan=10.0.0.1:80`: Consul's api.ParseServiceAddr. */
function serviceAddress(value: string): { Address: string; Port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*))(?::(\d+))?$/.exec(value);
  if (!m) throw new Error(`Invalid Tagged Address: ${value}`);
  return { Address: m[1] ?? m[2] ?? '', Port: m[3] ? Number(m[3]) : 0 };
}

export const servicesRegisterCommand = defineCommand({
  name: 'services register',
  synopsis: 'Register services with the local agent',
  usage: '[FILE...]',
  help: `
    Register one or more services using the local agent API. Services can be registered
    from standard agent configuration files (HCL or JSON) or using flags. The service is
    registered and the command returns; call "weft services deregister" to remove it.

      $ weft services register web.json
      $ weft services register -name=web -port=8080 -tag=v1
  `,
  flags: {
    ...httpClientFlags,
    id: flag.string("ID of the service to register for arg-based registration. If this isn't set, it will default to the -name value."),
    name: flag.string('Name of the service to register for arg-based registration.'),
    address: flag.string('Address of the service to register for arg-based registration.'),
    port: flag.int('Port of the service to register for arg-based registration.'),
    socket: flag.string('Path to the Unix domain socket to register for arg-based registration (conflicts with address and port).'),
    meta: flag.keyValue('Metadata to set on the service, formatted as key=value. This flag may be specified multiple times to set multiple meta fields.', '='),
    tag: flag.list('Tag to add to the service. This flag can be specified multiple times to set multiple tags.'),
    'tagged-address': flag.keyValue('Tagged address to set on the service, formatted as key=value. This flag may be specified multiple times to set multiple addresses.', '='),
    kind: flag.string("The services 'kind'"),
  },
  async run({ flags, args, io }) {
    if (args.length === 0 && flags.name === '') {
      io.stderr('Service registration requires at least one argument or flags.\n');
      return 1;
    }
    if (args.length > 0 && flags.name !== '') {
      io.stderr('Service registration requires arguments or -id, not both.\n');
      return 1;
    }
    let definitions: Record<string, unknown>[];
    if (args.length > 0) {
      definitions = await servicesFromFiles(args);
    } else {
      const def: Record<string, unknown> = { Name: flags.name };
      if (flags.kind) def.Kind = flags.kind;
      if (flags.id) def.ID = flags.id;
      if (flags.address) def.Address = flags.address;
      if (flags.port) def.Port = flags.port;
      if (flags.socket) def.SocketPath = flags.socket;
      if (flags.tag.length) def.Tags = flags.tag;
      if (Object.keys(flags.meta).length) def.Meta = flags.meta;
      const tagged = Object.entries(flags['tagged-address']);
      if (tagged.length) {
        try {
          def.TaggedAddresses = Object.fromEntries(tagged.map(([k, v]) => [k, serviceAddress(v)]));
        } catch (err) {
          io.stderr(`${(err as Error).message}\n`);
          return 1;
        }
      }
      definitions = [def];
    }
    const client = apiClient(flags, io);
    try {
      for (const def of definitions) {
        const name = definitionField(def, 'name');
        try {
          await client.put('/v1/agent/service/register', { body: def });
        } catch (err) {
          io.stderr(`Error registering service ${JSON.stringify(name)}: ${(err as Error).message}\n`);
          return 1;
        }
        io.stdout(`Registered service: ${name}\n`);
      }
    } finally {
      client.close();
    }
    return 0;
  },
});
