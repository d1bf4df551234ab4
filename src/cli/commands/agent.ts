import { formatProblem, loadConfig, type Format } from '../../config/index.js';
import { createLogger, subsystem } from '../../lib/log.js';
import { defineCommand } from '../command.js';
import { agentFlags, flagsToConfig } from './agent-flags.js';

export const agentCommand = defineCommand({
  name: 'agent',
  synopsis: 'Runs a Weft agent',
  help: `Starts the Weft agent and runs until an interrupt is received. -dev starts a
single in-memory server with the UI; -server -data-dir DIR starts a durable server.`,
  flags: agentFlags,
  async run({ flags, set, io }) {
    const format = flags['config-format'];
    if (format && format !== 'json' && format !== 'hcl') {
      io.stderr(`Invalid config format: ${format} (expected "json" or "hcl")\n`);
      return 1;
    }
    const loadOptions = {
      files: flags['config-file'],
      dirs: flags['config-dir'],
      format: (format || undefined) as Format | undefined,
      flags: flagsToConfig(flags, set),
      dev: flags.dev,
    };
    const result = await loadConfig(loadOptions);
    for (const w of result.warnings) io.stderr(`==> WARNING: ${formatProblem(w)}\n`);
    if (result.errors.length) {
      for (const e of result.errors) io.stderr(`==> Error: ${formatProblem(e)}\n`);
      return 1;
    }
    const config = result.config;
    const log = createLogger({ level: config.logLevel, json: config.logJson });
    // Loaded here, not at the top: every other command would otherwise pay for the whole server at start-up.
    const { Agent } = await import('../../agent/agent.js');
    const agent = new Agent(config, log, { reloadConfig: () => loadConfig(loadOptions) });
    await agent.start();
    if (!config.logJson) {
      io.stdout(`==> Weft agent running!\n    Node name: '${config.nodeName}'\n    Datacenter: '${config.datacenter}'\n`);
      io.stdout(`    Server: ${config.server} (store: ${agent.store.backendName})\n    Client Addr: [${config.clientAddr.join(' ')}] (HTTP: ${config.ports.http}, DNS: ${config.ports.dns})\n`);
    }
    // SIGHUP re-reads the config files, as `weft reload` does.
    const onHangup = () => void agent.reload().catch((err: unknown) => subsystem(log, 'agent').error({ err }, 'reload failed'));
    const stopHangups = io.onHangup?.(onHangup);
    await new Promise<void>((resolve) => {
      agent.once('stopped', () => {
        stopHangups?.();
        resolve();
      });
      io.signal?.addEventListener('abort', () => {
        subsystem(log, 'agent').info({ signal: String(io.signal?.reason ?? 'interrupt') }, 'caught signal, shutting down');
        void agent.stop();
      });
    });
    return 0;
  },
});
