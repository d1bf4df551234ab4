/** Signal names in configs and flags: `SIGHUP`, `HUP` and `hup` all name SIGHUP. */
import { constants } from 'node:os';

export function parseSignal(raw: string): NodeJS.Signals {
  const name = raw.trim().toUpperCase();
  const full = (name.startsWith('SIG') ? name : `SIG${name}`) as NodeJS.Signals;
  if (!Object.hasOwn(constants.signals, full)) throw new Error(`invalid signal "${raw}"`);
  return full;
}
