import { readFileSync } from 'node:fs';

/**
 * Consul's helpers.LoadDataSource for `-rules`: `@path` reads a file, `-` reads stdin,
 * anything else is the data itself.
 */
export async function loadDataSource(value: string, stdin: NodeJS.ReadableStream): Promise<string> {
  if (value === '') return '';
  if (value === '-') {
    let out = '';
    for await (const chunk of stdin) out += chunk.toString();
    return out;
  }
  if (value.startsWith('@')) {
    try {
      return readFileSync(value.slice(1), 'utf8');
    } catch (err) {
      throw new Error(`Failed to read file: ${(err as Error).message}`);
    }
  }
  return value;
}
