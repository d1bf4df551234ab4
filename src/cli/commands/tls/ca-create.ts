import { defineCommand } from '../../command.js';
import { flag } from '../../flags.js';
import { refuseExisting, saveNew } from './files.js';

export const tlsCaCreateCommand = defineCommand({
  name: 'tls ca create',
  synopsis: 'Create a new Weft CA',
  help: `
    Creates a new CA for agents' TLS: <domain>-agent-ca.pem (the certificate, for every
    agent's ca_file and the CLI's -ca-file) and <domain>-agent-ca-key.pem (its key: keep it
    where you sign certificates, never on agents). Both are written to the current directory
    and never overwritten.

        $ weft tls ca create
        ==> Saved consul-agent-ca.pem
        ==> Saved consul-agent-ca-key.pem
  `,
  flags: {
    'additional-name-constraint': flag.list('Add name constraints for the CA. Results in rejecting certificates for other DNS than specified. Can be used multiple times. Only used in combination with -name-constraint.'),
    'common-name': flag.string('Common Name of CA. Defaults to Consul Agent CA.'),
    days: flag.int('Provide number of days the CA is valid for from now on. Defaults to 5 years.', 1825),
    domain: flag.string('Domain of the Weft cluster. Only used in combination with -name-constraint.', 'consul'),
    'name-constraint': flag.bool('Enables the DNS name restriction functionality to the CA. Results in the CA rejecting certificates for any other DNS zone. If enabled, localhost and the value of -domain will be added to the allowed DNS zones. Defaults to false.'),
  },
  async run({ flags, io }) {
    if (flags.days <= 0) {
      io.stderr('Please provide a positive number for -days\n');
      return 1;
    }
    const certFile = `${flags.domain}-agent-ca.pem`;
    const keyFile = `${flags.domain}-agent-ca-key.pem`;
    refuseExisting(certFile, keyFile);
    // Loaded here: certificate building pulls in the x509 library, which other commands do not need at start.
    const { createAgentCa } = await import('../../../tls/certs.js');
    const ca = await createAgentCa({
      domain: flags.domain,
      days: flags.days,
      nameConstraint: flags['name-constraint'],
      additionalConstraints: flags['additional-name-constraint'],
      commonName: flags['common-name'],
    });
    saveNew(certFile, ca.cert, 0o644, io.stdout);
    saveNew(keyFile, ca.key, 0o600, io.stdout);
    return 0;
  },
});
