/**
 * A tiny fake of the Camunda APIs, so examples have something to call with `auth.fetch`: each
 * route demands a bearer token this server issued for that API's audience.
 * @module
 */

import { errors, jwtVerify } from 'jose'
import { APIS } from '../types.ts'
import type { Api } from '../types.ts'
import type { SigningKey } from './keys.ts'
import type { DevUser, ResolvedOptions } from './options.ts'
import type { ApiRequestLogEntry, RequestLog } from './request-log.ts'
import { jsonResponse } from '../http/responses.ts'
import type { ClusterState } from './cluster.ts'
import { handleClusterRequest } from './cluster-routes.ts'

/**
 * The server state the API routes work with.
 */
export interface ApiRoutesContext {
  readonly options: ResolvedOptions
  readonly key: () => Promise<SigningKey>
  readonly log: RequestLog<ApiRequestLogEntry>
  /** The small Orchestration Cluster behind the `/zeebe/v2/user-tasks…` and `/process-instances/search` routes. */
  readonly cluster: ClusterState
}

/**
 * The version the fake gateway reports in its topology.
 */
export const GATEWAY_VERSION = '8.8.0-dev'

/**
 * Which API a path belongs to (`/zeebe/…` → `zeebe`), and the path below its prefix.
 */
export function matchApi(pathname: string): { api: Api; path: string } | undefined {
  for (const api of APIS) {
    const prefix = `/${api}`
    if (pathname === prefix || pathname.startsWith(`${prefix}/`)) {
      return { api, path: pathname.slice(prefix.length) || '/' }
    }
  }
  return undefined
}

/**
 * Answer a request to a fake API route. A missing, malformed, expired, wrongly signed or
 * wrong-audience token gets 401 with `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750),
 * which is what lets clients test their retry-once-on-401 path. With `apiAuth: 'basic'` the routes
 * want one of the server's users instead (401 with a Basic challenge otherwise); with `'none'`, nothing.
 *
 * `GET /zeebe/v2/topology` answers a topology like the real gateway's; the user task and process
 * instance routes of the Orchestration Cluster API are answered by the dev cluster
 * (cluster-routes.ts); anything else echoes `{ api, method, path, query, sub }`.
 */
export async function handleApiRequest(ctx: ApiRoutesContext, request: Request, match: { api: Api; path: string }): Promise<Response> {
  const { api, path } = match
  const settle = ctx.log.add({ at: ctx.options.now(), api, method: request.method, path, status: 0 })
  const authorization = request.headers.get('authorization')
  const { apiAuth } = ctx.options
  const sub =
    apiAuth === 'none'
      ? 'anonymous'
      : apiAuth === 'basic'
        ? verifyBasic(ctx.options.users, authorization)
        : await verifyBearer(ctx, authorization, ctx.options.apiAudiences[api])
  if (typeof sub !== 'string') {
    settle(401)
    // As Camunda 8.8 answers a request without valid Basic credentials: a challenge and a problem body.
    if (apiAuth === 'basic') {
      return jsonResponse({ type: 'about:blank', title: 'Unauthorized', status: 401, detail: sub.reason }, 401, {
        'www-authenticate': 'Basic realm="Camunda", charset="UTF-8"',
      })
    }
    return jsonResponse({ error: 'invalid_token', error_description: sub.reason }, 401, {
      'www-authenticate': `Bearer realm="dev-auth", error="invalid_token", error_description="${sub.reason}"`,
    })
  }
  const clusterAnswer = api === 'zeebe' ? await handleClusterRequest(ctx.cluster, request, path) : undefined
  if (clusterAnswer) {
    settle(clusterAnswer.status, { sub })
    return clusterAnswer
  }
  const url = new URL(request.url)
  const body =
    api === 'zeebe' && request.method === 'GET' && path === '/v2/topology'
      ? topology(url.hostname)
      : { api, method: request.method, path, query: Object.fromEntries(url.searchParams), sub }
  settle(200, { sub })
  return jsonResponse(body)
}

/** The user name of valid HTTP Basic credentials (RFC 7617), or why they were refused. */
function verifyBasic(users: readonly DevUser[], header: string | null): string | { reason: string } {
  const match = header ? /^basic\s+(\S+)\s*$/i.exec(header) : null
  if (!match) return { reason: 'HTTP Basic credentials are required' }
  let decoded: string
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(atob(match[1]!), (c) => c.charCodeAt(0)))
  } catch {
    return { reason: 'the Basic credentials are not base64 of UTF-8' }
  }
  const colon = decoded.indexOf(':')
  const user = users.find((u) => u.username === decoded.slice(0, colon) && u.password === decoded.slice(colon + 1))
  return colon > 0 && user ? user.username : { reason: 'wrong user name or password' }
}

/** The token's subject, or why it was refused. */
async function verifyBearer(ctx: ApiRoutesContext, header: string | null, audience: string): Promise<string | { reason: string }> {
  const match = header ? /^bearer\s+(\S+)\s*$/i.exec(header) : null
  if (!match) return { reason: 'a bearer token is required' }
  try {
    const { payload } = await jwtVerify(match[1]!, (await ctx.key()).publicKey, {
      issuer: ctx.options.issuer,
      audience,
      algorithms: ['ES256'],
      // Real APIs refuse tokens that never expire; so does this one.
      requiredClaims: ['exp', 'sub'],
      currentDate: new Date(ctx.options.now()),
    })
    return payload.sub!
  } catch (err) {
    if (err instanceof errors.JWTExpired) return { reason: 'the token has expired' }
    if (err instanceof errors.JWTClaimValidationFailed) return { reason: `the token's ${err.claim} claim is not accepted` }
    return { reason: 'the token is not valid' }
  }
}

function topology(host: string) {
  return {
    brokers: [
      {
        nodeId: 0,
        host,
        port: 26501,
        partitions: [{ partitionId: 1, role: 'leader', health: 'healthy' }],
        version: GATEWAY_VERSION,
      },
    ],
    clusterSize: 1,
    partitionsCount: 1,
    replicationFactor: 1,
    gatewayVersion: GATEWAY_VERSION,
  }
}
