import os from 'node:os';
import type { RuntimeConfig } from '../config/index.js';

/** The address others reach this agent on: advertise, else bind, else the first private IPv4 (Consul's rule). */
export function advertiseAddress(config: RuntimeConfig): string {
  if (config.advertiseAddr) return config.advertiseAddr;
  if (config.bindAddr && config.bindAddr !== '0.0.0.0' && config.bindAddr !== '::') return config.bindAddr;
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}
