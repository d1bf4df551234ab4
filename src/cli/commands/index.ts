import type { Command } from '../command.js';

/**
 * Every command of the `weft` CLI, by its first word, loaded only when that word is used:
 * a sidecar (`weft connect proxy`) or `weft kv get` should not load the agent, the HCL
 * parser's WebAssembly runtime or the CA.
 */
export const commandLoaders: Record<string, () => Promise<Command[]>> = {
  acl: async () => (await import('./acl/index.js')).aclCommands,
  agent: async () => [(await import('./agent.js')).agentCommand],
  catalog: async () => (await import('./catalog/index.js')).catalogCommands,
  config: async () => (await import('./config/index.js')).configCommands,
  connect: async () => [...(await import('./connect-ca/index.js')).connectCaCommands, (await import('./connect/proxy.js')).connectProxyCommand],
  event: async () => [(await import('./event/index.js')).eventCommand],
  'force-leave': async () => [(await import('./force-leave.js')).forceLeaveCommand],
  info: async () => [(await import('./info.js')).infoCommand],
  intention: async () => (await import('./intention/index.js')).intentionCommands,
  join: async () => [(await import('./join.js')).joinCommand],
  kv: async () => (await import('./kv/index.js')).kvCommands,
  leave: async () => [(await import('./leave.js')).leaveCommand],
  lock: async () => [(await import('./lock/index.js')).lockCommand],
  maint: async () => [(await import('./maint.js')).maintCommand],
  members: async () => [(await import('./members.js')).membersCommand],
  operator: async () => (await import('./operator/index.js')).operatorCommands,
  reload: async () => [(await import('./reload.js')).reloadCommand],
  services: async () => (await import('./services/index.js')).servicesCommands,
  snapshot: async () => (await import('./snapshot/index.js')).snapshotCommands,
  template: async () => [(await import('./template.js')).templateCommand],
  tls: async () => (await import('./tls/index.js')).tlsCommands,
  validate: async () => [(await import('./validate.js')).validateCommand],
  version: async () => [(await import('./version.js')).versionCommand],
  watch: async () => [(await import('./watch/index.js')).watchCommand],
};

/** The commands `argv` can need: one word's, or all of them (for help, `--version` and unknown words). */
export async function loadCommands(argv: readonly string[]): Promise<Command[]> {
  const first = argv[0];
  if (first !== undefined && Object.hasOwn(commandLoaders, first)) return commandLoaders[first]();
  return (await Promise.all(Object.values(commandLoaders).map((load) => load()))).flat();
}
