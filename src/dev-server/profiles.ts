/**
 * The identity providers the dev server can play: which parameters a token request may carry,
 * what the token's audience becomes, how long tokens live, and the error bodies each sends.
 * `saas` is Camunda SaaS (the default); `keycloak` a Self-Managed Keycloak (Camunda Identity);
 * `entra` Microsoft Entra ID's v2.0 endpoint; `okta` an Okta custom authorization server.
 * @module
 */

import { SAAS_AUDIENCES } from '../credentials/saas.ts'
import { jsonResponse, oauthErrorResponse } from '../http/responses.ts'
import type { Api } from '../types.ts'

/**
 * A provider the dev server behaves like.
 *
 * @example
 * ```ts
 * createDevAuthServer({ profile: 'entra' })
 * ```
 */
export type DevProfile = 'saas' | 'keycloak' | 'entra' | 'okta'

/**
 * The tenant of the `entra` profile's token path.
 *
 * @example
 * ```ts
 * const tokenUrl = `${origin}/${DEV_ENTRA_TENANT}/oauth2/v2.0/token`
 * ```
 */
export const DEV_ENTRA_TENANT = '11111111-2222-3333-4444-555555555555'

/** What a client may be refused for, in each provider's words. */
export type RefusalKind = 'unknown_client' | 'wrong_secret' | 'bad_assertion' | 'no_authentication'

/** What differs between providers. */
export interface ProfileRules {
  readonly name: DevProfile
  readonly tokenPath: string
  readonly tokenLifetimeSeconds: number
  /** The audience each fake API route demands, and a client's audiences by default. */
  readonly apiAudiences: Readonly<Record<Api, string>>
  /** The audience and scope of the token, or the answer that refuses the request. */
  target(
    client: { readonly clientId: string; readonly audiences: readonly string[] },
    audience: string | undefined,
    scope: string | undefined,
  ): Target | Response
  refuse(kind: RefusalKind, clientId: string | undefined, basicChallenge: HeadersInit | undefined): Response
}

/** What a token is issued for. */
export interface Target {
  readonly audience: string | readonly string[]
  /** The scope to grant as asked, `undefined` to apply the client's own scope rules. */
  readonly scope?: string
}

/** Camunda SaaS requires an audience, except from a client allowed exactly one. */
function saasTarget(client: { readonly clientId: string; readonly audiences: readonly string[] }, audience: string | undefined) {
  if (audience === undefined || audience === '') {
    if (client.audiences.length === 1) return { audience: client.audiences[0]! }
    return oauthErrorResponse(400, 'invalid_request', 'audience is required (or the RFC 8707 resource parameter)')
  }
  if (!client.audiences.includes(audience)) {
    // invalid_target is RFC 8707's code for "this resource is not for you".
    return oauthErrorResponse(400, 'invalid_target', `audience ${audience} is not allowed for client ${client.clientId}`)
  }
  return { audience }
}

const saas: ProfileRules = {
  name: 'saas',
  tokenPath: '/oauth/token',
  tokenLifetimeSeconds: 3600,
  apiAudiences: SAAS_AUDIENCES,
  target: saasTarget,
  refuse: (kind, _id, challenge) =>
    oauthErrorResponse(
      401,
      'invalid_client',
      kind === 'no_authentication' ? 'client authentication is required' : 'client authentication failed',
      challenge,
    ),
}

// Keycloak: 300 s tokens; the audience comes from the client's mappers, so without an `audience`
// the token names all of the client's audiences; a wrong secret is `unauthorized_client`.
const keycloak: ProfileRules = {
  name: 'keycloak',
  tokenPath: '/auth/realms/camunda-platform/protocol/openid-connect/token',
  tokenLifetimeSeconds: 300,
  apiAudiences: { zeebe: 'zeebe-api', operate: 'operate-api', tasklist: 'tasklist-api', optimize: 'optimize-api' },
  target: (client, audience) => (audience === undefined || audience === '' ? { audience: client.audiences } : saasTarget(client, audience)),
  refuse: (kind, _id, challenge) =>
    kind === 'no_authentication'
      ? oauthErrorResponse(401, 'unauthorized_client', 'Client secret not provided in request', challenge)
      : oauthErrorResponse(401, 'unauthorized_client', 'Invalid client or Invalid client credentials', challenge),
}

/** Entra ID's error body: an AADSTS code first in the description, and the same code in `error_codes`. */
function entraError(status: number, error: string, code: number, description: string): Response {
  const traceId = crypto.randomUUID()
  return jsonResponse(
    {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${crypto.randomUUID()} Timestamp: 2026-06-01 12:00:00Z`,
      error_codes: [code],
      timestamp: '2026-06-01 12:00:00Z',
      trace_id: traceId,
      correlation_id: crypto.randomUUID(),
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
    status,
  )
}

const ENTRA_AUDIENCE = 'api://camunda-orchestration-cluster'

// Entra ID v2.0: client credentials name the resource in `scope` as `<app id URI>/.default`; the
// RFC 8707 `resource` parameter is refused; tokens live an hour less a second.
const entra: ProfileRules = {
  name: 'entra',
  tokenPath: `/${DEV_ENTRA_TENANT}/oauth2/v2.0/token`,
  tokenLifetimeSeconds: 3599,
  apiAudiences: { zeebe: ENTRA_AUDIENCE, operate: ENTRA_AUDIENCE, tasklist: ENTRA_AUDIENCE, optimize: ENTRA_AUDIENCE },
  target(client, audience, scope) {
    if (audience !== undefined && audience !== '') {
      return entraError(400, 'invalid_request', 901002, "The 'resource' request parameter is not supported.")
    }
    if (scope === undefined || scope === '') {
      return entraError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'.")
    }
    if (!scope.endsWith('/.default') || scope.includes(' ')) {
      return entraError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      )
    }
    const resource = scope.slice(0, -'/.default'.length)
    if (!client.audiences.includes(resource)) {
      return entraError(
        400,
        'invalid_resource',
        500011,
        `The resource principal named ${resource} was not found in the tenant named ${DEV_ENTRA_TENANT}.`,
      )
    }
    return { audience: resource, scope: '' }
  },
  refuse(kind, clientId) {
    if (kind === 'unknown_client') {
      return entraError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory.`)
    }
    if (kind === 'bad_assertion') return entraError(401, 'invalid_client', 700027, 'Client assertion contains an invalid signature.')
    if (kind === 'no_authentication') {
      return entraError(
        401,
        'invalid_client',
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
      )
    }
    return entraError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    )
  },
}

const OKTA_AUDIENCE = 'api://default'

// An Okta custom authorization server: the audience is the server's own (`api://default`), any
// `audience` parameter is ignored, and a request needs a scope.
const okta: ProfileRules = {
  name: 'okta',
  tokenPath: '/oauth2/default/v1/token',
  tokenLifetimeSeconds: 3600,
  apiAudiences: { zeebe: OKTA_AUDIENCE, operate: OKTA_AUDIENCE, tasklist: OKTA_AUDIENCE, optimize: OKTA_AUDIENCE },
  target(_client, _audience, scope) {
    if (scope === undefined || scope === '') {
      return oauthErrorResponse(
        400,
        'invalid_scope',
        "The authorization server resource does not have any configured default scopes, 'scope' must be provided.",
      )
    }
    return { audience: OKTA_AUDIENCE }
  },
  refuse: (kind, _id, challenge) =>
    oauthErrorResponse(
      401,
      'invalid_client',
      kind === 'bad_assertion'
        ? 'The client_assertion signature is invalid.'
        : kind === 'no_authentication'
          ? 'Client authentication failed. Either the client or the client credentials are invalid.'
          : 'The client secret supplied for a confidential client is invalid.',
      challenge,
    ),
}

/**
 * Every profile by name.
 */
export const PROFILES: Readonly<Record<DevProfile, ProfileRules>> = { saas, keycloak, entra, okta }
