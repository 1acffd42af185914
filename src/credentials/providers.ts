/**
 * Which identity provider a token URL belongs to, and what that changes in a token request:
 * Entra ID takes `scope=<audience>/.default` and no `audience`; Auth0 requires an audience; SaaS
 * has fixed audiences (`saas.ts`). Keycloak and Okta take the bundle as it is (Keycloak's 300 s
 * tokens are the refresh-ahead rule's business, Okta's custom servers read `scope`).
 * @module
 */

import type { CredentialsIssue } from '../errors.ts'
import { APIS, type Api, type IdentityProvider } from '../types.ts'
import { SAAS_TOKEN_HOST } from './saas.ts'

/** Every provider name CAMUNDA_OAUTH_PROVIDER and the `provider` option accept. */
export const PROVIDERS: readonly IdentityProvider[] = ['saas', 'keycloak', 'entra', 'okta', 'auth0', 'generic']

// Entra ID's login hosts: the global cloud, US Government, China (21Vianet, old and new name) and
// the retired German cloud.
const ENTRA_HOSTS: ReadonlySet<string> = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.partner.microsoftonline.cn',
  'login.chinacloudapi.cn',
  'login.microsoftonline.de',
])

/** The provider behind `tokenUrl`, from its host or (Keycloak) its path. */
export function detectProvider(tokenUrl: URL): IdentityProvider {
  const host = tokenUrl.hostname
  if (host === SAAS_TOKEN_HOST) return 'saas'
  if (ENTRA_HOSTS.has(host)) return 'entra'
  if (/\.(?:okta|oktapreview|okta-emea)\.com$/.test(host)) return 'okta'
  if (host.endsWith('.auth0.com')) return 'auth0'
  if (/\/realms\/[^/]+\/protocol\/openid-connect\/token\/?$/.test(tokenUrl.pathname)) return 'keycloak'
  return 'generic'
}

/** The variable that sets each API's audience, and its own scope. */
export const AUDIENCE_VARIABLES: Readonly<Record<Api, string>> = {
  zeebe: 'ZEEBE_TOKEN_AUDIENCE',
  operate: 'CAMUNDA_OPERATE_OAUTH_AUDIENCE',
  tasklist: 'CAMUNDA_TASKLIST_OAUTH_AUDIENCE',
  optimize: 'CAMUNDA_OPTIMIZE_OAUTH_AUDIENCE',
}
export const SCOPE_VARIABLES: Readonly<Record<Api, string>> = {
  zeebe: 'CAMUNDA_ZEEBE_OAUTH_SCOPE',
  operate: 'CAMUNDA_OPERATE_OAUTH_SCOPE',
  tasklist: 'CAMUNDA_TASKLIST_OAUTH_SCOPE',
  optimize: 'CAMUNDA_OPTIMIZE_OAUTH_SCOPE',
}

/** The audiences and scopes the bundle names, and which variable gave each API its scope. */
export interface NamedParameters extends RequestParameters {
  readonly scopeVariables: Partial<Record<Api, string>>
}

/** What each API's token request carries, as the provider wants it. */
export interface RequestParameters {
  readonly audiences: Partial<Record<Api, string>>
  readonly scopes: Partial<Record<Api, string>>
}

/**
 * Each API's `audience` and `scope` for `provider`, from the audiences and scopes the bundle names.
 * Only APIs with a base URL are checked for what their provider requires: an API the bundle cannot
 * call needs no token.
 */
export function requestParameters(
  provider: IdentityProvider,
  named: NamedParameters,
  used: (api: Api) => boolean,
  issues: CredentialsIssue[],
): RequestParameters {
  if (provider === 'entra') return entraParameters(named, used, issues)
  if (provider === 'auth0') {
    const missing = APIS.filter((api) => used(api) && named.audiences[api] === undefined)
    // Auth0 refuses a client-credentials request without one (access_denied), so say it now.
    if (missing.length > 0) {
      issues.push({
        variable: AUDIENCE_VARIABLES[missing[0]!],
        message: `is missing: Auth0 requires an audience (the API identifier) for ${listOf(missing)}; set ${missing.map((api) => AUDIENCE_VARIABLES[api]).join(', ')}`,
      })
    }
  }
  return { audiences: named.audiences, scopes: named.scopes }
}

// Entra ID (v2.0 endpoint): client credentials name the resource in `scope` as `<app id URI>/.default`,
// and there is no `audience` parameter. Camunda's Java client appends `/.default` the same way.
function entraParameters(named: NamedParameters, used: (api: Api) => boolean, issues: CredentialsIssue[]): RequestParameters {
  const scopes: Partial<Record<Api, string>> = {}
  for (const api of APIS) {
    const audience = named.audiences[api]
    const scope =
      named.scopes[api] ?? (audience === undefined ? undefined : audience.endsWith('/.default') ? audience : `${audience}/.default`)
    if (scope !== undefined) scopes[api] = scope
  }
  const missing = APIS.filter((api) => used(api) && scopes[api] === undefined)
  if (missing.length > 0 || Object.keys(scopes).length === 0) {
    issues.push({
      variable: 'CAMUNDA_TOKEN_SCOPE',
      message:
        `is missing: Entra ID needs a scope${missing.length > 0 ? ` for ${listOf(missing)}` : ''} and takes no audience; set CAMUNDA_TOKEN_SCOPE ` +
        `(api://<application id>/.default), a per-API one such as ${SCOPE_VARIABLES[missing[0] ?? 'zeebe']}, or the audience (${AUDIENCE_VARIABLES[missing[0] ?? 'zeebe']}) it is made from`,
    })
  }
  // AADSTS1002012: client credentials take only `<resource>/.default` scopes. One issue per variable.
  const wrong = new Map<string, Api[]>()
  for (const api of APIS) {
    const scope = scopes[api]
    if (scope === undefined || scope.split(' ').every((part) => part === '' || part.endsWith('/.default'))) continue
    const variable = named.scopeVariables[api] ?? AUDIENCE_VARIABLES[api]
    wrong.set(variable, [...(wrong.get(variable) ?? []), api])
  }
  for (const [variable, apis] of wrong) {
    issues.push({
      variable,
      message: `must end in /.default for Entra ID's client credentials (e.g. api://<application id>/.default), for ${listOf(apis)}`,
    })
  }
  return { audiences: {}, scopes }
}

function listOf(apis: readonly Api[]): string {
  return `the ${apis.join(', ')} API${apis.length > 1 ? 's' : ''}`
}
