/**
 * Which variable a finding is about, by the name the user's bundle gave it: a Console download says
 * `ZEEBE_CLIENT_SECRET`, an `@camunda8/orchestration-cluster-api` `.env` says `CAMUNDA_CLIENT_SECRET`,
 * and "change ZEEBE_CLIENT_SECRET" must name the line the user will edit.
 * @module
 */

import { AUDIENCE_VARIABLES, SCOPE_VARIABLES } from '../credentials/providers.ts'
import {
  BASE_URL_VARIABLES,
  CLIENT_ID,
  CLIENT_SECRET,
  REST_ADDRESS,
  TOKEN_SCOPE,
  TOKEN_URL,
  ZEEBE_AUDIENCE,
} from '../credentials/variables.ts'
import type { Api, Credentials } from '../types.ts'

// Each group names one setting, as parseCredentials reads them; the first is the default name.
const GROUPS = {
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  tokenUrl: TOKEN_URL,
  tokenScope: TOKEN_SCOPE,
  zeebeAudience: ZEEBE_AUDIENCE,
  restAddress: REST_ADDRESS,
}

/** Variable names as this bundle spells them. */
export interface BundleNames {
  /** The first name of `group` the bundle sets, or the group's first name. */
  readonly of: (group: keyof typeof GROUPS) => string
  /** The variable that sets `api`'s audience. */
  readonly audience: (api: Api) => string
  /** The variable that sets `api`'s scope. */
  readonly scope: (api: Api) => string
  /** The variable (or variables) that give `api` its base URL. */
  readonly baseUrl: (api: Api) => string
}

/** Names for a bundle that sets the variables in `present`. */
export function bundleNames(present: ReadonlySet<string>, credentials: Credentials): BundleNames {
  const of = (group: keyof typeof GROUPS) => GROUPS[group].find((name) => present.has(name)) ?? GROUPS[group][0]
  return {
    of,
    audience: (api) => (api === 'zeebe' ? of('zeebeAudience') : AUDIENCE_VARIABLES[api]),
    scope: (api) => (present.has(SCOPE_VARIABLES[api]) ? SCOPE_VARIABLES[api] : of('tokenScope')),
    baseUrl(api) {
      if (api !== 'zeebe') return BASE_URL_VARIABLES[api]
      if (GROUPS.restAddress.some((name) => present.has(name)) || !credentials.saas) return of('restAddress')
      // A SaaS download derives the Zeebe REST URL from the cluster id and region, or ZEEBE_ADDRESS.
      return present.has('CAMUNDA_CLUSTER_ID') ? 'CAMUNDA_CLUSTER_ID and CAMUNDA_CLUSTER_REGION' : 'ZEEBE_ADDRESS'
    },
  }
}
