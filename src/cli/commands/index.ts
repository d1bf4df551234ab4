import type { Command } from '../command.js';
import { agentCommand } from './agent.js';
import { infoCommand } from './info.js';
import { leaveCommand } from './leave.js';
import { membersCommand } from './members.js';
import { validateCommand } from './validate.js';
import { versionCommand } from './version.js';

/** Every command of the `weft` CLI. */
export const commands: Command[] = [agentCommand, infoCommand, leaveCommand, membersCommand, validateCommand, versionCommand];
