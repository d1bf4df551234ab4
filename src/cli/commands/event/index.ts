import { apiClient } from '../../client.js';
import { defineCommand } from '../../command.js';
import { flag } from '../../flags.js';
import { httpFlags } from '../../http-flags.js';

function compiles(pattern: string): string | null {
  try {
    new RegExp(pattern);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

export const eventCommand = defineCommand({
  name: 'event',
  synopsis: 'Fire a new event',
  usage: '[payload]',
  help: `
    Dispatches a custom user event across a datacenter. An event must provide a
    name, but a payload is optional. Events support filtering using regular
    expressions on node name, service, and tag definitions.

        $ weft event -name=deploy -service=web v1.2.3
  `,
  flags: {
    ...httpFlags,
    name: flag.string('Name of the event.'),
    node: flag.string('Regular expression to filter on node names.'),
    service: flag.string('Regular expression to filter on service instances.'),
    tag: flag.string('Regular expression to filter on service tags. Must be used with -service.'),
  },
  async run({ flags, args, io }) {
    const fail = (msg: string) => (io.stderr(`${msg}\n`), 1);
    if (!flags.name) return fail('Event name must be specified');
    for (const [what, pattern] of [['node', flags.node], ['service', flags.service], ['tag', flags.tag]] as const) {
      const problem = pattern ? compiles(pattern) : null;
      if (problem) return fail(`Failed to compile ${what} filter regexp: ${problem}`);
    }
    if (flags.tag && !flags.service) return fail('Cannot provide tag filter without service filter.');
    if (args.length > 1) return fail('Too many command line arguments.');
    const client = apiClient(flags, io);
    try {
      try {
        await client.get('/v1/agent/self');
      } catch (err) {
        return fail(`Error querying Weft agent: ${(err as Error).message}`);
      }
      try {
        const res = await client.put<{ ID: string }>(`/v1/event/fire/${encodeURIComponent(flags.name)}`, {
          rawBody: args[0] ?? '',
          query: { node: flags.node || undefined, service: flags.service || undefined, tag: flags.tag || undefined },
        });
        io.stdout(`Event ID: ${res.body.ID}\n`);
        return 0;
      } catch (err) {
        return fail(`Error firing event: ${(err as Error).message}`);
      }
    } finally {
      client.close();
    }
  },
});
