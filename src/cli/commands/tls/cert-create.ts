import { existsSync } from 'node:fs';
import { WeftError } from '../../../lib/errors.js';
import type { CertKind } from '../../../tls/certs.js';
import { defineCommand } from '../../command.js';
import { flag } from '../../flags.js';
import { readPem, refuseExisting, saveNew } from './files.js';

const DOMAIN_PLACEHOLDER = '#DOMAIN#';

const SERVER_WARNING = `==> WARNING: Server Certificates grants authority to become a
    server and access all state in the cluster including root keys
    and all ACL tokens. Do not distribute them to production hosts
    that are not server nodes. Store them as securely as CA keys.
`;

/** The first `<dc>-<kind>-<domain>-<n>.pem` not taken, as Consul numbers them. */
function nextPrefix(datacenter: string, kind: CertKind, domain: string): string {
  for (let n = 0; ; n++) {
    const prefix = `${datacenter}-${kind}-${domain}-${n}`;
    if (!existsSync(`${prefix}.pem`) && !existsSync(`${prefix}-key.pem`)) return prefix;
  }
}

export const tlsCertCreateCommand = defineCommand({
  name: 'tls cert create',
  synopsis: 'Create a new certificate',
  help: `
    Creates a certificate and its key, signed by the CA from 'weft tls ca create', for a
    server (server.<dc>.<domain>, which agents check with verify_server_hostname), a client
    agent (client.<dc>.<domain>) or the CLI (cli.<dc>.<domain>, client authentication only).
    Each also names localhost; server and client certificates 127.0.0.1.

        $ weft tls cert create -server
        ==> WARNING: Server Certificates grants authority to become a
            ...
        ==> Using consul-agent-ca.pem and consul-agent-ca-key.pem
        ==> Saved dc1-server-consul-0.pem
        ==> Saved dc1-server-consul-0-key.pem

        $ weft tls cert create -client -dc east
        $ weft tls cert create -cli
  `,
  flags: {
    'additional-dnsname': flag.list('Provide an additional dnsname for Subject Alternative Names. localhost is always included. This flag may be provided multiple times.'),
    'additional-ipaddress': flag.list('Provide an additional ipaddress for Subject Alternative Names. 127.0.0.1 is always included. This flag may be provided multiple times.'),
    ca: flag.string('Provide path to the ca. Defaults to #DOMAIN#-agent-ca.pem.', `${DOMAIN_PLACEHOLDER}-agent-ca.pem`),
    cli: flag.bool('Generate cli certificate.'),
    client: flag.bool('Generate client certificate.'),
    days: flag.int('Provide number of days the certificate is valid for from now on. Defaults to 1 year.', 365),
    dc: flag.string('Provide the datacenter. Matters only for -server certificates.', 'dc1'),
    domain: flag.string('Provide the domain. Matters only for -server certificates.', 'consul'),
    key: flag.string('Provide path to the key. Defaults to #DOMAIN#-agent-ca-key.pem.', `${DOMAIN_PLACEHOLDER}-agent-ca-key.pem`),
    node: flag.string('When generating a server cert and this is set an additional dns name is included of the form <node>.server.<datacenter>.<domain>.'),
    server: flag.bool('Generate server certificate.'),
  },
  async run({ flags, io }) {
    const kinds = (['server', 'client', 'cli'] as const).filter((k) => flags[k]);
    if (kinds.length !== 1) throw new WeftError('FLAG_INVALID', 'Please provide either -server, -client, or -cli');
    const kind = kinds[0];
    if (flags.days <= 0) throw new WeftError('FLAG_INVALID', 'Please provide a positive number for -days');
    if (flags.node && kind !== 'server') throw new WeftError('FLAG_INVALID', '-node requires -server');
    const caFile = flags.ca.replace(DOMAIN_PLACEHOLDER, flags.domain);
    const keyFile = flags.key.replace(DOMAIN_PLACEHOLDER, flags.domain);
    const ca = { cert: readPem(caFile, 'CA'), key: readPem(keyFile, 'CA key') };
    const prefix = nextPrefix(flags.dc, kind, flags.domain);
    refuseExisting(`${prefix}.pem`, `${prefix}-key.pem`);
    const { createAgentCert } = await import('../../../tls/certs.js');
    const pem = await createAgentCert({
      kind,
      ca,
      datacenter: flags.dc,
      domain: flags.domain,
      days: flags.days,
      node: flags.node || undefined,
      dnsNames: flags['additional-dnsname'],
      ipAddresses: flags['additional-ipaddress'],
    });
    if (kind === 'server') io.stdout(SERVER_WARNING);
    io.stdout(`==> Using ${caFile} and ${keyFile}\n`);
    saveNew(`${prefix}.pem`, pem.cert, 0o644, io.stdout);
    saveNew(`${prefix}-key.pem`, pem.key, 0o600, io.stdout);
    return 0;
  },
});
