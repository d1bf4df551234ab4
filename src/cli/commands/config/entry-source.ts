import { readFile } from 'node:fs/promises';
import type { CommandIO } from '../../command.js';
import { hcl1ToHcl2 } from './hcl1-blocks.js';

/** A problem reading or parsing an entry file: printed as one line, exit 1. */
export class EntryInputError extends Error {}

/** An entry as parsed from HCL or JSON, keys as written; the server decodes and validates it. */
export interface RawEntry {
  body: Record<string, unknown>;
  kind: string;
  name: string;
}

async function readStdin(io: CommandIO): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of io.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

/** The file at `path`, or stdin for `-` (Consul's LoadDataSourceNoRaw). */
export async function loadSource(path: string, io: CommandIO): Promise<string> {
  if (path === '-') return readStdin(io);
  try {
    return await readFile(path.startsWith('@') ? path.slice(1) : path, 'utf8');
  } catch (err) {
    throw new EntryInputError(`Failed to load data: Failed to read file: ${(err as Error).message}`);
  }
}

function stringField(body: Record<string, unknown>, field: string): string {
  const key = Object.keys(body).find((k) => k.toLowerCase() === field);
  const v = key === undefined ? undefined : body[key];
  return typeof v === 'string' ? v : '';
}

/**
 * Parses one config entry written in JSON or HCL (Consul's HCL 1 syntax included). Keys stay
 * as written (PascalCase, lower case or snake_case) and HCL blocks stay lists: the server
 * decodes both, so what `config write` accepts is exactly what `PUT /v1/config` accepts.
 */
export async function parseEntry(text: string, fileName: string): Promise<RawEntry> {
  let value: unknown;
  if (text.trimStart().startsWith('{')) {
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new EntryInputError(`Failed to decode config entry input: ${(err as Error).message}`);
    }
  } else {
    const { parse } = await import('@cdktf/hcl2json');
    try {
      value = await parse(fileName, hcl1ToHcl2(text));
    } catch (err) {
      const raw = String((err as Error).message).replace(/^parse config: \[/, '').replace(/\]$/, '');
      throw new EntryInputError(`Failed to decode config entry input: ${raw}`);
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new EntryInputError('Failed to decode config entry input: expected one object');
  const body = value as Record<string, unknown>;
  const kind = stringField(body, 'kind');
  if (!kind) throw new EntryInputError('Failed to decode config entry input: Payload does not contain a kind/Kind key at the top level');
  return { body, kind, name: stringField(body, 'name') };
}
