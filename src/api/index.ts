export { ApiClient, ApiError, type ClientOptions, type CallOptions, type QueryMeta, type Response } from './client.js';
export type * from './types.js';
export { ConnectApi } from './connect.js';
export type { RaftConfiguration, RaftServer } from './operator.js';
