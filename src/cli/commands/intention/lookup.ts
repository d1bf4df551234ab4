import type { ApiClient } from '../../../api/index.js';
import type { Intention } from '../../../api/connect.js';

/** An intention by ID (one argument) or by source and destination (two), or null when there is none. */
export async function findIntention(client: ApiClient, args: string[]): Promise<Intention | null> {
  const r =
    args.length === 1
      ? await client.get<Intention>(`/v1/connect/intentions/${encodeURIComponent(args[0])}`, { accept: [404] })
      : await client.get<Intention>('/v1/connect/intentions/exact', { query: { source: args[0], destination: args[1] }, accept: [404] });
  return r.status === 404 ? null : r.body;
}

export function notFoundMessage(args: string[]): string {
  return args.length === 1 ? `Intention not found with ID ${JSON.stringify(args[0])}` : `Intention not found with source ${JSON.stringify(args[0])} and destination ${JSON.stringify(args[1])}`;
}
