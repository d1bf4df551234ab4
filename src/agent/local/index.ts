/** The agent's own services and checks: state, registration, check runners, persistence, config definitions. */
export { LocalAgent, type LocalAgentOptions } from './local-agent.js';
export { LocalState, CHECK_UPDATE_INTERVAL_MS } from './state.js';
export type { LocalService, LocalCheck, RegistrationSource } from './types.js';
