// The servers a benchmark can start: Weft's dev agent, Weft's durable server, the floor.
// Each returns {name, child, port} once the server answers `GET /v1/status/leader`.
import { join } from 'node:path';
import { ROOT, WEFT_BIN, freePort, startNode, stopProcess, waitReady } from './processes.js';

let weftBin = WEFT_BIN;

/** Runs Weft from another checkout (a built `--rev`) instead of this one. */
export function useWeftRoot(dir) {
  weftBin = join(dir, 'bin', 'weft.js');
}

export const FLOOR_BIN = join(ROOT, 'bench', 'floor-server.js');

async function started(name, child, port) {
  try {
    await waitReady(child, port);
  } catch (err) {
    await stopProcess(child);
    throw err;
  }
  return { name, child, port, pid: child.pid };
}

/** `weft agent -dev` (in-memory). `nodeFlags` go to node itself, e.g. ['--cpu-prof']. */
export async function startWeftDev({ nodeFlags = [] } = {}) {
  const port = await freePort();
  const child = startNode([weftBin, 'agent', '-dev', '-http-port', String(port), '-dns-port', '-1'], { nodeFlags });
  return started('weft', child, port);
}

/** `weft agent -server -bootstrap -data-dir DIR` (durable, LMDB, fsync before ack). */
export async function startWeftDurable(dataDir, { nodeFlags = [] } = {}) {
  const port = await freePort();
  const args = [weftBin, 'agent', '-server', '-bootstrap', '-data-dir', dataDir, '-http-port', String(port), '-dns-port', '-1'];
  const child = startNode(args, { nodeFlags });
  return started('weft-durable', child, port);
}

/** The trivial node:http floor server (bench/floor-server.js). */
export async function startFloor({ nodeFlags = [] } = {}) {
  const port = await freePort();
  const child = startNode([FLOOR_BIN, String(port)], { nodeFlags });
  return started('floor', child, port);
}
