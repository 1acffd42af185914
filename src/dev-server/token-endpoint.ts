/**
 * `POST /oauth/token`: the client-credentials grant, as Camunda SaaS's login service answers it,
 * plus rate limiting, logging and fault injection.
 * @module
 */

import { mintAccessToken, opaqueToken } from './access-token.ts'
import { ConnectionResetError } from './connection-reset.ts'
import { malformedAnswer, statusAnswer } from './fault-responses.ts'
import type { DevFault, FaultQueue } from './faults.ts'
import type { SigningKey } from './keys.ts'
import type { ResolvedClient, ResolvedOptions } from './options.ts'
import type { RateLimiter } from './rate-limit.ts'
import type { RequestLog, TokenRequestLogEntry } from './request-log.ts'
import { jsonResponse, oauthErrorResponse } from '../http/responses.ts'
import { delay, trickle } from './timing.ts'
import { authenticateClient } from './client-auth.ts'
import { readTokenRequest } from './token-request.ts'
import type { TokenRequestParams } from './token-request.ts'

/**
 * The server state the token endpoint works with.
 */
export interface TokenEndpointContext {
  readonly options: ResolvedOptions
  readonly key: () => Promise<SigningKey>
  readonly limiter: RateLimiter
  readonly faults: FaultQueue
  readonly log: RequestLog<TokenRequestLogEntry>
  /** Client assertions already used: each `jti` is accepted once (RFC 7523 §3). */
  readonly seenJtis: Map<string, number>
}

/**
 * Answer one `POST` to the token path. Every such request is logged, and counts toward its
 * client's rate-limit window, before anything else happens, so counts include failures.
 *
 * Rejects with the request signal's reason if the client aborts during a `delayMs` fault, and with
 * {@link ConnectionResetError} for a `reset` fault.
 */
export async function handleTokenRequest(ctx: TokenEndpointContext, request: Request): Promise<Response> {
  const params = await readTokenRequest(request)
  const settle = ctx.log.add({
    at: ctx.options.now(),
    ...(params.clientId === undefined ? {} : { clientId: params.clientId }),
    ...(params.audience === undefined ? {} : { audience: params.audience }),
    ...(params.scope === undefined ? {} : { scope: params.scope }),
    auth: params.auth,
    status: 0,
  })
  // Requests without a client id share one window, as SaaS limits per IP rather than per client.
  const decision = ctx.limiter.take(params.clientId ?? '')
  const fault = ctx.faults.next()

  if (fault?.delayMs) await delay(fault.delayMs, request.signal)
  if (fault?.reset) throw new ConnectionResetError()

  let response: Response
  if (fault?.status !== undefined) {
    response = statusAnswer({ ...fault, status: fault.status })
  } else if (fault?.body !== undefined) {
    const client = params.clientId ?? 'unknown-client'
    const valid = await tokenBody(ctx, client, params.audience ?? 'unknown-audience', params.scope ?? '', fault)
    response = malformedAnswer(fault.body as Parameters<typeof malformedAnswer>[0], valid)
  } else if (!decision.allowed) {
    response = oauthErrorResponse(429, 'rate_limited', 'too many token requests; retry after the time in Retry-After', {
      'retry-after': String(decision.retryAfterSeconds),
    })
  } else {
    const url = new URL(request.url)
    response = await grant(ctx, params, fault, `${url.origin}${url.pathname}`)
  }

  if (fault?.trickleMs !== undefined) {
    response = await trickle(response, fault.trickleMs, fault.trickleBytes, request.signal)
  }
  settle(response.status)
  return response
}

/** Judge a well-formed request and issue a token, or say why not. */
async function grant(
  ctx: TokenEndpointContext,
  params: TokenRequestParams,
  fault: DevFault | undefined,
  tokenUrl: string,
): Promise<Response> {
  const { profile } = ctx.options
  const basicChallenge = params.auth === 'basic' ? { 'www-authenticate': 'Basic realm="dev-auth", charset="UTF-8"' } : undefined
  if (params.problem) {
    const status = params.problem.error === 'invalid_client' ? 401 : 400
    return oauthErrorResponse(status, params.problem.error, params.problem.description, status === 401 ? basicChallenge : undefined)
  }
  if (params.grantType === undefined) return oauthErrorResponse(400, 'invalid_request', 'grant_type is required')
  if (params.grantType !== 'client_credentials') {
    return oauthErrorResponse(400, 'unsupported_grant_type', `grant_type ${params.grantType} is not supported; use client_credentials`)
  }

  const client = await authenticateClient(ctx.options.clients, params, tokenUrl, ctx.options.now(), ctx.seenJtis)
  if (typeof client === 'string') return profile.refuse(client, params.clientId, basicChallenge)

  const target = profile.target(client, params.audience, params.scope)
  if (target instanceof Response) return target
  const scope = target.scope ?? grantScope(client, params.scope)
  if (typeof scope !== 'string') return scope

  return jsonResponse(await tokenBody(ctx, client.clientId, target.audience, scope, fault))
}

function grantScope(client: ResolvedClient, requested: string | undefined): string | Response {
  const asked = (requested ?? '').split(' ').filter(Boolean)
  if (client.scopes === undefined) return asked.join(' ')
  const allowed = client.scopes.split(' ').filter(Boolean)
  if (asked.length === 0) return allowed.join(' ')
  const refused = asked.filter((s) => !allowed.includes(s))
  if (refused.length > 0) return oauthErrorResponse(400, 'invalid_scope', `scope ${refused.join(' ')} is not granted to ${client.clientId}`)
  return asked.join(' ')
}

/** The JSON of a successful answer, shaped by the fault's `expiresIn`, `jwt` and `opaque`. */
async function tokenBody(
  ctx: TokenEndpointContext,
  clientId: string,
  audience: string | readonly string[],
  scope: string,
  fault: DevFault | undefined,
): Promise<Record<string, unknown>> {
  const lifetime = ctx.options.tokenLifetimeSeconds
  const accessToken = fault?.opaque
    ? opaqueToken()
    : await mintAccessToken(
        await ctx.key(),
        { issuer: ctx.options.issuer, clientId, audience, scope, nowMs: ctx.options.now(), lifetimeSeconds: lifetime },
        fault?.jwt,
      )
  // Millisecond precision keeps 2.5 as 2.5 without float noise such as 2.5000000001.
  const expiresIn = fault?.expiresIn === undefined ? Math.round(lifetime * 1000) / 1000 : fault.expiresIn
  return {
    access_token: accessToken,
    token_type: 'Bearer',
    ...(expiresIn === null ? {} : { expires_in: expiresIn }),
    ...(scope ? { scope } : {}),
  }
}
