/**
 * Reading `-config` paths: a file, or a directory whose `.hcl` and `.json` files load in
 * name order. HCL goes through @cdktf/hcl2json and is normalised to the JSON shape
 * (blocks become objects; repeated `template` blocks stay a list).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parse as parseHclText } from '@cdktf/hcl2json';
import type { z } from 'zod';
import { WeftError } from '../../lib/errors.js';
import { fileSchema, type FileLayer, UNSUPPORTED } from './schema.js';

const fail = (message: string) => new WeftError('CONFIG_INVALID', message);

/** Every config file a `-config` path names, in load order. */
export async function configFiles(path: string): Promise<string[]> {
  let st;
  try {
    st = await stat(path);
  } catch {
    throw fail(`config: missing file/folder: ${path}`);
  }
  if (!st.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => ['.hcl', '.json'].includes(extname(n))).sort();
  return names.map((n) => join(path, n));
}

export async function loadConfigFile(file: string): Promise<FileLayer> {
  const text = await readFile(file, 'utf8').catch((err: Error) => {
    throw fail(`config: ${file}: ${err.message}`);
  });
  const raw = extname(file) === '.json' ? parseJson(file, text) : normalizeHcl(await parseHcl(file, text));
  return validate(file, raw);
}

/** JSON and HCL share one schema; a JSON file may hold one `template` object or a list. */
export function validate(file: string, raw: unknown): FileLayer {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw fail(`config: ${file}: expected an object at the top level`);
  const obj = { ...(raw as Record<string, unknown>) };
  for (const key of Object.keys(obj)) if (UNSUPPORTED[key]) throw fail(`config: ${file}: ${key}: ${UNSUPPORTED[key]}`);
  if (obj.template && !Array.isArray(obj.template)) obj.template = [obj.template];
  const result = fileSchema.safeParse(obj);
  if (result.success) return result.data;
  throw fail(`config: ${file}: ${describeIssues(result.error.issues)}`);
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((i) => {
      if (i.code === 'unrecognized_keys') return i.keys.map((k) => `unknown key "${pathText([...i.path, k])}"`).join('; ');
      if (i.code === 'invalid_union') return `${pathText(i.path)}: invalid value`;
      return `${pathText(i.path)}: ${i.message}`;
    })
    .join('; ');
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw fail(`config: ${file}: ${(err as Error).message}`);
  }
}

async function parseHcl(file: string, text: string): Promise<unknown> {
  try {
    return await parseHclText(file, text);
  } catch (err) {
    const msg = String((err as Error).message).replace(/^parse config: \[/, '').replace(/\]$/, '');
    throw fail(`config: ${msg}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * hcl2json gives every block as a list of objects; collapse them (later blocks win), except
 * the top-level `template` list. HCL numbers for `perms` are octal as written (`0644`).
 */
export function normalizeHcl(value: unknown, top = true): unknown {
  if (typeof value === 'string') return value.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isObject)) return Object.assign({}, ...value.map((v) => normalizeHcl(v, false)));
    return value.map((v) => normalizeHcl(v, false));
  }
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (top && k === 'template' && Array.isArray(v)) out[k] = v.map((b) => normalizeTemplateBlock(b));
    else out[k] = normalizeHcl(v, false);
  }
  return out;
}

function normalizeTemplateBlock(block: unknown): unknown {
  const b = normalizeHcl(block, false);
  if (isObject(b) && typeof b.perms === 'number') b.perms = String(b.perms).padStart(4, '0');
  return b;
}
