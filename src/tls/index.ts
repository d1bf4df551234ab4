/** TLS for the agent's listeners and its connections to servers: settings, contexts, listeners. */
export { tlsSettings, servesTls, serverName, type TlsEndpoint, type TlsSettings, type InternalRpcTls } from './settings.js';
export { clientTlsOptions, serverTlsOptions, trustedCas } from './context.js';
export { apiListener, httpsFor, type ApiListener } from './listener.js';
