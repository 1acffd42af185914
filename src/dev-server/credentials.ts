/**
 * The credential bundle that points a client at a running dev server.
 * @module
 */

import { DEFAULT_CLIENT, SAAS_AUDIENCES } from './options.ts'
import type { DevClient } from './options.ts'

/**
 * Environment variables, in the names the Camunda Console uses, for a dev server reachable at
 * `origin`: feed them to `parseCredentials` as if they were `process.env`. The audiences are the
 * SaaS ones, which the dev server accepts by default.
 *
 * @param origin Where the server listens, e.g. `http://127.0.0.1:54321`. A trailing slash is dropped.
 * @param client The client to name. Default `dev-client` / `dev-secret`, the server's default.
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
): Record<string, string> {
  const base = origin.replace(/\/+$/, '')
  const tokenUrl = `${base}/oauth/token`
  return {
    ZEEBE_CLIENT_ID: client.clientId,
    ZEEBE_CLIENT_SECRET: client.clientSecret,
    ZEEBE_AUTHORIZATION_SERVER_URL: tokenUrl,
    CAMUNDA_OAUTH_URL: tokenUrl,
    ZEEBE_TOKEN_AUDIENCE: SAAS_AUDIENCES.zeebe,
    CAMUNDA_OPERATE_OAUTH_AUDIENCE: SAAS_AUDIENCES.operate,
    CAMUNDA_TASKLIST_OAUTH_AUDIENCE: SAAS_AUDIENCES.tasklist,
    CAMUNDA_OPTIMIZE_OAUTH_AUDIENCE: SAAS_AUDIENCES.optimize,
    ZEEBE_REST_ADDRESS: `${base}/zeebe`,
    CAMUNDA_OPERATE_BASE_URL: `${base}/operate`,
    CAMUNDA_TASKLIST_BASE_URL: `${base}/tasklist`,
    CAMUNDA_OPTIMIZE_BASE_URL: `${base}/optimize`,
    CAMUNDA_CREDENTIALS_SCOPES: 'Zeebe,Operate,Tasklist,Optimize',
  }
}
