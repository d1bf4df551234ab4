import { readFile } from 'node:fs/promises';
import type { CommandIO } from '../../command.js';

/** A user error a kv command prints as one line and exits 1 on. */
export class KvUsageError extends Error {}

/** Consul strips one leading "/" from the key of get, delete and export: keys never start with one. */
export const stripLeadingSlash = (key: string): string => (key.startsWith('/') ? key.slice(1) : key);

async function readStdin(io: CommandIO): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/** A DATA argument as consul reads it, as bytes: `@file` reads the file, a lone `-` reads stdin, anything else is literal. */
export async function dataArg(data: string, io: CommandIO): Promise<Buffer> {
  if (data.startsWith('@')) {
    try {
      return await readFile(data.slice(1));
    } catch (err) {
      throw new KvUsageError(`Failed to read file: ${(err as Error).message}`);
    }
  }
  if (data === '-') return readStdin(io);
  return Buffer.from(data);
}
