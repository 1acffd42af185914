/**
 * The credential bundle that points a client at a running dev server.
 * @module
 */

import { DEFAULT_CLIENT } from './options.ts'
import type { DevClient, DevUser } from './options.ts'
import { type DevProfile, PROFILES } from './profiles.ts'

/**
 * What `devCredentials` should point at besides the origin: the server's profile (its token path,
 * audiences or scope), or a strategy without tokens for `apiAuth: 'basic'` or `'none'`.
 *
 * @example
 * ```ts
 * devCredentials(url, undefined, { profile: 'entra' })
 * ```
 */
export interface DevCredentialsOptions {
  /** The server's `profile`. Default `saas`. */
  readonly profile?: DevProfile
  /** `BASIC` (the server's first user, `demo` / `demo` by default) or `NONE` instead of OAuth. */
  readonly strategy?: 'BASIC' | 'NONE'
  /** The Basic user, for `strategy: 'BASIC'`. Default `demo` / `demo`. */
  readonly user?: DevUser
}

/**
 * Environment variables, in the names the Camunda Console uses, for a dev server reachable at
 * `origin`: feed them to `parseCredentials` as if they were `process.env`. The audiences (or, for
 * Entra ID and Okta, the scope and `CAMUNDA_OAUTH_PROVIDER`, which a loopback URL does not reveal)
 * are the ones the server's profile accepts by default.
 *
 * @param origin Where the server listens, e.g. `http://127.0.0.1:54321`. A trailing slash is dropped.
 * @param client The client to name. Default `dev-client` / `dev-secret`, the server's default.
 * @param options The server's profile, or a Basic / no-auth bundle.
 *
 * @example
 * ```ts
 * const { url, close } = await listenDevAuthServer(createDevAuthServer())
 * const credentials = parseCredentials(devCredentials(url))
 * ```
 */
export function devCredentials(
  origin: string,
  client: Pick<DevClient, 'clientId' | 'clientSecret'> = DEFAULT_CLIENT,
  options: DevCredentialsOptions = {},
): Record<string, string> {
  const base = origin.replace(/\/+$/, '')
  const urls = {
    ZEEBE_REST_ADDRESS: `${base}/zeebe`,
    CAMUNDA_OPERATE_BASE_URL: `${base}/operate`,
    CAMUNDA_TASKLIST_BASE_URL: `${base}/tasklist`,
    CAMUNDA_OPTIMIZE_BASE_URL: `${base}/optimize`,
  }
  if (options.strategy === 'BASIC') {
    const { username, password } = options.user ?? { username: 'demo', password: 'demo' }
    return { CAMUNDA_AUTH_STRATEGY: 'BASIC', CAMUNDA_BASIC_AUTH_USERNAME: username, CAMUNDA_BASIC_AUTH_PASSWORD: password, ...urls }
  }
  if (options.strategy === 'NONE') return { CAMUNDA_AUTH_STRATEGY: 'NONE', ...urls }
  const profile = PROFILES[options.profile ?? 'saas']
  const tokenUrl = `${base}${profile.tokenPath}`
  const audiences = profile.apiAudiences
  const request: Record<string, string> =
    profile.name === 'entra'
      ? { CAMUNDA_OAUTH_PROVIDER: 'entra', CAMUNDA_TOKEN_SCOPE: `${audiences.zeebe}/.default` }
      : profile.name === 'okta'
        ? { CAMUNDA_OAUTH_PROVIDER: 'okta', CAMUNDA_TOKEN_SCOPE: 'camunda' }
        : {
            ZEEBE_TOKEN_AUDIENCE: audiences.zeebe,
            CAMUNDA_OPERATE_OAUTH_AUDIENCE: audiences.operate,
            CAMUNDA_TASKLIST_OAUTH_AUDIENCE: audiences.tasklist,
            CAMUNDA_OPTIMIZE_OAUTH_AUDIENCE: audiences.optimize,
          }
  return {
    ZEEBE_CLIENT_ID: client.clientId,
    ...(client.clientSecret !== undefined && { ZEEBE_CLIENT_SECRET: client.clientSecret }),
    ZEEBE_AUTHORIZATION_SERVER_URL: tokenUrl,
    CAMUNDA_OAUTH_URL: tokenUrl,
    ...request,
    ...urls,
    CAMUNDA_CREDENTIALS_SCOPES: 'Zeebe,Operate,Tasklist,Optimize',
  }
}
