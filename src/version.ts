import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

/** Weft's own release. */
export const VERSION: string = pkg.version;
/** The Consul release whose HTTP API, DNS and CLI Weft matches; tools that gate on Consul's version read this. */
export const CONSUL_API_VERSION = '1.20.0';
/** Agent protocol numbers reported in member tags (Consul's `vsn`, `raft_vsn`). */
export const PROTOCOL = { min: 2, max: 3, cur: 2 } as const;
