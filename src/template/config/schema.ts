/**
 * consul-template's configuration file format (HCL or JSON), the keys Weft acts on.
 * Unknown keys are errors, as in consul-template; keys for features Weft does not have
 * (Vault, Nomad, dedup, syslog) are named as such.
 */
import { z } from 'zod';
import { parseDuration } from '../../lib/duration.js';
import { parseSignal } from '../runner/signals.js';

/** Go durations as strings ("5s"), or integers of nanoseconds as mapstructure decodes them. */
const duration = z.union([z.string(), z.number()]).superRefine((v, ctx) => {
  try {
    if (parseDuration(v) < 0) ctx.addIssue({ code: 'custom', message: `must not be negative, got ${JSON.stringify(v)}` });
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

const signal = z.string().superRefine((v, ctx) => {
  if (v === '') return;
  try {
    parseSignal(v);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
  }
});

/** `"nginx -s reload"` (through a shell) or `["nginx", "-s", "reload"]` (no shell). */
const command = z.union([z.string(), z.array(z.string())]);

/** `"5s:10s"`, or `{ min = "5s" max = "10s" }`. */
const wait = z.union([z.string(), z.strictObject({ min: duration, max: duration, enabled: z.boolean() }).partial()]);

/** Octal as a string ("0644"), or a number (in HCL written as 0644; in JSON the decimal mode, 420). */
const perms = z.union([z.string().regex(/^0?[0-7]{1,4}$/, 'must be an octal file mode such as "0644"'), z.number().int().nonnegative()]);

const retry = z.strictObject({ enabled: z.boolean(), attempts: z.number().int().nonnegative(), backoff: duration, max_backoff: duration }).partial();

const ssl = z
  .strictObject({ enabled: z.boolean(), verify: z.boolean(), cert: z.string(), key: z.string(), ca_cert: z.string(), ca_path: z.string(), server_name: z.string() })
  .partial();

const consul = z.union([
  z.string(),
  z.strictObject({ address: z.string(), token: z.string(), token_file: z.string(), retry, ssl }).partial(),
]);

const exec = z
  .strictObject({ command, enabled: z.boolean(), reload_signal: signal, kill_signal: signal, kill_timeout: duration, splay: duration, timeout: duration })
  .partial();

export const templateBlock = z
  .strictObject({
    source: z.string(),
    destination: z.string(),
    contents: z.string(),
    command,
    command_timeout: duration,
    exec: z.strictObject({ command, timeout: duration }).partial(),
    perms,
    backup: z.boolean(),
    create_dest_dirs: z.boolean(),
    left_delimiter: z.string(),
    right_delimiter: z.string(),
    wait,
    error_fatal: z.boolean(),
  })
  .partial();

export const fileSchema = z
  .strictObject({
    consul,
    template: z.array(templateBlock),
    wait,
    max_stale: duration,
    block_query_wait: duration,
    log_level: z.string(),
    exec,
    pid_file: z.string(),
    kill_signal: signal,
    reload_signal: signal,
    template_error_fatal: z.boolean(),
    default_delimiters: z.strictObject({ left: z.string(), right: z.string() }).partial(),
  })
  .partial();

export type FileLayer = z.infer<typeof fileSchema>;
export type TemplateBlock = z.infer<typeof templateBlock>;

/** consul-template keys Weft knows but does not implement: a clearer error than "unknown key". */
export const UNSUPPORTED: Record<string, string> = {
  vault: 'Vault is not supported by weft template',
  nomad: 'Nomad is not supported by weft template',
  deduplicate: 'de-duplication is not supported by weft template',
  syslog: 'syslog is not supported by weft template; logs go to stderr',
  log_file: 'log files are not supported by weft template; logs go to stderr',
};
