import type { Command } from '../command.js';
import { aclCommands } from './acl/index.js';
import { agentCommand } from './agent.js';
import { catalogCommands } from './catalog/index.js';
import { configCommands } from './config/index.js';
import { eventCommand } from './event/index.js';
import { forceLeaveCommand } from './force-leave.js';
import { infoCommand } from './info.js';
import { intentionCommands } from './intention/index.js';
import { connectCaCommands } from './connect-ca/index.js';
import { connectProxyCommand } from './connect/proxy.js';
import { joinCommand } from './join.js';
import { kvCommands } from './kv/index.js';
import { leaveCommand } from './leave.js';
import { lockCommand } from './lock/index.js';
import { maintCommand } from './maint.js';
import { membersCommand } from './members.js';
import { reloadCommand } from './reload.js';
import { servicesCommands } from './services/index.js';
import { validateCommand } from './validate.js';
import { versionCommand } from './version.js';
import { watchCommand } from './watch/index.js';
import { templateCommand } from './template.js';
import { snapshotCommands } from './snapshot/index.js';
import { operatorCommands } from './operator/index.js';
import { tlsCommands } from './tls/index.js';

/** Every command of the `weft` CLI. */
export const commands: Command[] = [agentCommand, ...catalogCommands, eventCommand, forceLeaveCommand, infoCommand, joinCommand, ...kvCommands, leaveCommand, lockCommand, maintCommand, membersCommand, reloadCommand, ...servicesCommands, validateCommand, versionCommand, watchCommand, ...intentionCommands, ...connectCaCommands, connectProxyCommand, templateCommand, ...aclCommands, ...snapshotCommands, ...operatorCommands, ...configCommands, ...tlsCommands];
