import { readFileSync } from 'node:fs';
import type { ApiClient } from '../../../api/index.js';
import type { Intention } from '../../../api/connect.js';
import { apiClient } from '../../client.js';
import { defineCommand, type CommandIO } from '../../command.js';
import { flag } from '../../flags.js';
import { httpFlags } from '../../http-flags.js';
import { intentionLine, parseTarget } from './format.js';

interface NewIntention {
  SourceNS: string;
  SourceName: string;
  DestinationNS: string;
  DestinationName: string;
  SourceType: string;
  Action: 'allow' | 'deny';
  Description?: string;
  Meta: Record<string, string>;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += chunk.toString();
  return out;
}

async function fromFiles(paths: string[], io: CommandIO): Promise<NewIntention[]> {
  const out: NewIntention[] = [];
  for (const path of paths) {
    const text = path === '-' ? await readAll(io.stdin) : readFileSync(path, 'utf8');
    const ixn = JSON.parse(text) as Partial<Intention>;
    if (ixn.Permissions?.length) throw new Error(`cannot create L7 intention from file ${JSON.stringify(path)} using this CLI; use 'weft config write' instead`);
    out.push({
      SourceNS: ixn.SourceNS ?? '',
      SourceName: ixn.SourceName ?? '',
      DestinationNS: ixn.DestinationNS ?? '',
      DestinationName: ixn.DestinationName ?? '',
      SourceType: ixn.SourceType || 'consul',
      Action: ixn.Action ?? 'allow',
      Description: ixn.Description,
      Meta: ixn.Meta ?? {},
    });
  }
  return out;
}

/**
 * -replace: a legacy intention is updated in place by ID; one made by name is upserted by
 * name (atomic), or, when -meta is given (which only ID intentions carry), deleted and
 * created anew.
 */
async function replace(client: ApiClient, ixn: NewIntention): Promise<boolean> {
  const pair = { source: ixn.SourceNS ? `${ixn.SourceNS}/${ixn.SourceName}` : ixn.SourceName, destination: ixn.DestinationNS ? `${ixn.DestinationNS}/${ixn.DestinationName}` : ixn.DestinationName };
  const old = await client.get<Intention>('/v1/connect/intentions/exact', { query: pair, accept: [404] });
  if (old.status === 404) return false;
  if (old.body.ID) {
    await client.put(`/v1/connect/intentions/${old.body.ID}`, { body: ixn });
    return true;
  }
  if (Object.keys(ixn.Meta).length) {
    await client.delete('/v1/connect/intentions/exact', { query: pair });
    return false;
  }
  await client.put('/v1/connect/intentions/exact', { query: pair, body: { SourceType: ixn.SourceType, Action: ixn.Action, Description: ixn.Description } });
  return true;
}

export const intentionCreateCommand = defineCommand({
  name: 'intention create',
  synopsis: 'Create intentions for service connections.',
  usage: 'SRC DST',
  help: `
    Usage: weft intention create [options] -file FILE...

    Create one or more intentions. The data can be specified as a single
    source and destination pair or via a set of files when the "-file" flag
    is specified.

        $ weft intention create web db

    To consume data from a set of files:

        $ weft intention create -file one.json two.json

    When specifying the "-file" flag, "-" may be used once to read from stdin:

        $ echo "{ ... }" | weft intention create -file -

    An "allow" intention is created by default (allowlist). To create a
    "deny" intention, the "-deny" flag should be specified.

    If a conflicting intention is found, creation will fail. To replace any
    conflicting intentions, specify the "-replace" flag. This will replace any
    conflicting intentions with the intention specified in this command.
    Metadata and any other fields of the previous intention will not be
    preserved.
  `,
  flags: {
    ...httpFlags,
    allow: flag.bool('Create an intention that allows when matched.'),
    deny: flag.bool('Create an intention that denies when matched.'),
    file: flag.bool('Read intention data from one or more files.'),
    replace: flag.bool('Replace matching intentions.'),
    meta: flag.keyValue('Metadata to set on the intention, formatted as key=value. This flag may be specified multiple times to set multiple meta fields.', '='),
    description: flag.string('A description for the intention (Weft addition).'),
  },
  async run({ flags, args, io }) {
    if (flags.allow && flags.deny) {
      io.stderr('Only one of -allow or -deny may be specified.\n');
      return 1;
    }
    let ixns: NewIntention[];
    try {
      if (flags.file) ixns = await fromFiles(args, io);
      else {
        if (args.length !== 2) throw new Error('Must specify two arguments: source and destination');
        const src = parseTargetOr(args[0], 'source');
        const dst = parseTargetOr(args[1], 'destination');
        ixns = [{ SourceNS: src.ns, SourceName: src.name, DestinationNS: dst.ns, DestinationName: dst.name, SourceType: 'consul', Action: flags.deny ? 'deny' : 'allow', Meta: flags.meta }];
        if (flags.description) ixns[0].Description = flags.description;
      }
    } catch (err) {
      io.stderr(`Error: ${(err as Error).message}\n`);
      return 1;
    }
    const client = apiClient(flags, io);
    try {
      for (const ixn of ixns) {
        try {
          if (!(flags.replace && (await replace(client, ixn)))) await client.post('/v1/connect/intentions', { body: ixn });
        } catch (err) {
          io.stderr(`Error creating intention ${JSON.stringify(intentionLine(ixn))}: ${(err as Error).message}\n`);
          return 1;
        }
        io.stdout(`Created: ${intentionLine(ixn)}\n`);
      }
      return 0;
    } finally {
      client.close();
    }
  },
});

function parseTargetOr(input: string, what: string): { name: string; ns: string } {
  try {
    return parseTarget(input);
  } catch (err) {
    throw new Error(`Invalid intention ${what}: ${(err as Error).message}`);
  }
}
