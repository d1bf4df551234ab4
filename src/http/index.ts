export { createApiServer } from './server.js';
export { routes } from './routes.js';
export type { ApiContext, AgentView, Member, RaftServer } from './context.js';
export { allowAll, type Authorizer } from './authorizer.js';
