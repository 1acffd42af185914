/**
 * Discovery routes: the JWKS and a minimal OpenID/OAuth server metadata document.
 * @module
 */

import type { SigningKey } from './keys.ts'
import type { ResolvedOptions } from './options.ts'
import { jsonResponse } from '../http/responses.ts'

/**
 * Where the JWKS is served.
 */
export const JWKS_PATH = '/.well-known/jwks.json'

/**
 * Where the discovery documents are served (OpenID Connect and RFC 8414 names).
 */
export const DISCOVERY_PATHS: readonly string[] = Object.freeze([
  '/.well-known/openid-configuration',
  '/.well-known/oauth-authorization-server',
])

/**
 * `GET /.well-known/jwks.json`: the one signing key, with `kid`, `alg` and `use`.
 */
export async function jwksAnswer(key: () => Promise<SigningKey>): Promise<Response> {
  return jsonResponse({ keys: [(await key()).publicJwk] })
}

/**
 * The discovery document. The endpoints are built from the request's origin, since the server
 * cannot know where it is reachable; the issuer is the configured one.
 */
export function discoveryAnswer(options: ResolvedOptions, requestUrl: URL): Response {
  const origin = requestUrl.origin
  return jsonResponse({
    issuer: options.issuer,
    token_endpoint: `${origin}${options.tokenPath}`,
    jwks_uri: `${origin}${JWKS_PATH}`,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256', 'PS256', 'ES256', 'EdDSA'],
    id_token_signing_alg_values_supported: ['ES256'],
    response_types_supported: ['token'],
  })
}
