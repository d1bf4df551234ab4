import type { Command } from '../../command.js';
import { defineGroup } from '../../command.js';
import { aclBootstrapCommand } from './bootstrap.js';
import { aclPolicyCreateCommand } from './policy/create.js';
import { aclPolicyDeleteCommand } from './policy/delete.js';
import { aclPolicyListCommand } from './policy/list.js';
import { aclPolicyReadCommand } from './policy/read.js';
import { aclPolicyUpdateCommand } from './policy/update.js';
import { aclRoleCreateCommand } from './role/create.js';
import { aclRoleDeleteCommand } from './role/delete.js';
import { aclRoleListCommand } from './role/list.js';
import { aclRoleReadCommand } from './role/read.js';
import { aclRoleUpdateCommand } from './role/update.js';
import { aclSetAgentTokenCommand } from './set-agent-token.js';
import { aclTokenCloneCommand } from './token/clone.js';
import { aclTokenCreateCommand } from './token/create.js';
import { aclTokenDeleteCommand } from './token/delete.js';
import { aclTokenListCommand } from './token/list.js';
import { aclTokenReadCommand } from './token/read.js';
import { aclTokenUpdateCommand } from './token/update.js';

const aclGroup = defineGroup({
  name: 'acl',
  synopsis: 'Interact with Weft\'s ACLs',
  help: `
    This command has subcommands for interacting with Weft's ACLs. Here are
    some simple examples, and more detailed examples are available in the
    subcommands or the documentation.

    Bootstrap ACLs:

        $ weft acl bootstrap

    List all ACL tokens:

        $ weft acl token list

    Create a new ACL policy:

        $ weft acl policy create -name "new-policy" \\
                                 -description "This is an example policy" \\
                                 -rules @rules.hcl

    Set the default agent token:

        $ weft acl set-agent-token default 0bc6bc46-f25e-4262-b2d9-ffbe1d96be6f
  `,
});

const tokenGroup = defineGroup({
  name: 'acl token',
  synopsis: 'Manage Weft\'s ACL tokens',
  help: `
    This command has subcommands for managing Weft's ACL tokens.

        $ weft acl token create -description "for agent" -policy-name "agent-policy"
        $ weft acl token list
        $ weft acl token read -accessor-id <accessor>
        $ weft acl token delete -accessor-id <accessor>
  `,
});

const policyGroup = defineGroup({
  name: 'acl policy',
  synopsis: 'Manage Weft\'s ACL policies',
  help: `
    This command has subcommands for managing Weft's ACL policies.

        $ weft acl policy create -name "new-policy" -rules @rules.hcl
        $ weft acl policy list
        $ weft acl policy read -name new-policy
        $ weft acl policy delete -name new-policy
  `,
});

const roleGroup = defineGroup({
  name: 'acl role',
  synopsis: 'Manage Weft\'s ACL roles',
  help: `
    This command has subcommands for managing Weft's ACL roles.

        $ weft acl role create -name "new-role" -policy-name "policy-1"
        $ weft acl role list
        $ weft acl role read -name new-role
        $ weft acl role delete -name new-role
  `,
});

export const aclCommands: Command[] = [
  aclGroup,
  aclBootstrapCommand,
  aclSetAgentTokenCommand,
  tokenGroup,
  aclTokenCreateCommand,
  aclTokenReadCommand,
  aclTokenUpdateCommand,
  aclTokenDeleteCommand,
  aclTokenListCommand,
  aclTokenCloneCommand,
  policyGroup,
  aclPolicyCreateCommand,
  aclPolicyReadCommand,
  aclPolicyUpdateCommand,
  aclPolicyDeleteCommand,
  aclPolicyListCommand,
  roleGroup,
  aclRoleCreateCommand,
  aclRoleReadCommand,
  aclRoleUpdateCommand,
  aclRoleDeleteCommand,
  aclRoleListCommand,
];
