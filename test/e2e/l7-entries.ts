/**
 * The config entries the L7 tests write with `weft config write`, as the HCL an operator
 * would write; each test passes only what its scenario is about.
 */

/**
 * A service-resolver for `service` with subsets v1 and v2 by Meta.version (which
 * InstanceSpec.version sets), v1 by default; `failoverToV2` sends v1's traffic to v2 while no
 * v1 instance is healthy.
 */
export function versionResolver(service: string, opts: { failoverToV2?: boolean } = {}): string {
  const failover = opts.failoverToV2 ? '\nFailover = {\n  v1 = { ServiceSubset = "v2" }\n}' : '';
  return `
Kind          = "service-resolver"
Name          = "${service}"
DefaultSubset = "v1"
Subsets = {
  v1 = { Filter = "Service.Meta.version == v1" }
  v2 = { Filter = "Service.Meta.version == v2" }
}${failover}
`;
}

/** One route of a service-router: the HTTP match's attributes and the destination's, one HCL attribute each. */
export function route(match: string[], destination: string[]): string {
  return `
  {
    Match {
      HTTP {
        ${match.join('\n        ')}
      }
    }
    Destination {
      ${destination.join('\n      ')}
    }
  },`;
}

/** A service-router for `service` with `routes` (see route()) in order. */
export function serviceRouter(service: string, ...routes: string[]): string {
  return `
Kind = "service-router"
Name = "${service}"
Routes = [${routes.join('')}
]
`;
}

/** service-intentions letting `source` make only the requests `allowHttp` (the HTTP block's body) matches; the rest is denied. */
export function allowOnlyIntention(destination: string, source: string, allowHttp: string): string {
  return `
Kind = "service-intentions"
Name = "${destination}"
Sources = [
  {
    Name = "${source}"
    Permissions = [
      {
        Action = "allow"
        HTTP { ${allowHttp} }
      },
      {
        Action = "deny"
        HTTP { PathPrefix = "/" }
      },
    ]
  },
]
`;
}
