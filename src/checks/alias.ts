import type { CheckStatus, ProbeResult } from './types.js';

/** The fields of a health check that an alias check's verdict depends on. */
export interface AliasedCheck {
  Node: string;
  CheckID: string;
  Name: string;
  Status: string;
  Output: string;
  ServiceID: string;
}

/**
 * Consul's alias verdict over the checks of the target node: the node's own checks and the target
 * service's checks count; any critical wins, else any warning, else passing. A service with no
 * checks that does not exist (`serviceExists()` false) is critical. AliasSource implementations
 * call this on every change of the target's checks.
 */
export function aliasStatus(
  checks: Iterable<AliasedCheck>,
  target: { node?: string; serviceId?: string },
  serviceExists: () => boolean,
): ProbeResult {
  let status: CheckStatus = 'passing';
  let output = 'No checks found.';
  let serviceFound = false;
  const wantService = target.serviceId ?? '';
  for (const chk of checks) {
    if (target.node && target.node.toLowerCase() !== chk.Node.toLowerCase()) continue;
    const serviceMatch = chk.ServiceID === wantService;
    if (chk.ServiceID !== '' && !serviceMatch) continue;
    if (serviceMatch) serviceFound = true;
    if (chk.Status === 'critical' || chk.Status === 'warning') {
      status = chk.Status;
      output = `Aliased check "${chk.Name}" failing: ${chk.Output}`;
      if (chk.Status === 'critical') break;
    } else if (status === 'passing') {
      output = 'All checks passing.';
    }
  }
  if (!serviceFound && !serviceExists()) {
    return { status: 'critical', output: `Service ${wantService} could not be found on node ${target.node ?? ''}` };
  }
  return { status, output };
}
