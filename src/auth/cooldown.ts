/**
 * Cooldowns: after a failed token request, when the next one may be sent, and the error every
 * caller gets until then. Camunda SaaS counts failed requests towards its per-IP limit and blocks
 * the IP past it, so holding back is what keeps a bad moment from becoming an outage.
 *
 * Schedule: `invalid_client` waits `invalidClientCooldownMs`. Any other failure n waits a random
 * time in [d/2, d] where d = min(initialMs · 2^(n-1), maxMs), at least `initialMs`, and at least
 * as long as the server's `Retry-After`: a server that keeps saying "retry in 1 s" through a long
 * outage is still backed off from, since SaaS counts every failed request towards its IP block.
 * @module
 */

import {
  InvalidClientError,
  RateLimitedError,
  TokenEndpointError,
  TokenError,
  type TokenErrorDetails,
  TokenLifetimeError,
  TokenRequestError,
  TokenResponseError,
  TokenTimeoutError,
  RedirectRefusedError,
} from '../errors.ts'
import { isRegisteredOAuthError } from '../token/record.ts'
import type { Api, CooldownRecord } from '../types.ts'

/**
 * The backoff schedule for failures without `Retry-After`.
 *
 * @example
 * ```ts
 * createAuth({ credentials, backoff: { initialMs: 2_000, maxMs: 120_000 } })
 * ```
 */
export interface BackoffPolicy {
  /** The first wait, and the least any cooldown waits. Default 1 s. */
  readonly initialMs: number
  /** The longest wait. Default 60 s. */
  readonly maxMs: number
}

/**
 * What a cooldown needs to know besides the error.
 */
export interface CooldownPolicy {
  readonly backoff: BackoffPolicy
  readonly invalidClientCooldownMs: number
  /** The longest `Retry-After` honoured, whoever says it: the token endpoint, a broker or a peer. */
  readonly maxRetryAfterMs: number
}

/**
 * The cooldown a failed request starts, given the one before it (for the failure count).
 */
export function nextCooldown(
  error: TokenError,
  previous: CooldownRecord | undefined,
  now: number,
  policy: CooldownPolicy,
  random: () => number = Math.random,
): CooldownRecord {
  // A streak ends once the last cooldown is long past.
  const failures = (previous && now - previous.until < policy.backoff.maxMs * 2 ? previous.failures : 0) + 1
  // Codes and the status only: the record is shared, and server text must not travel with it.
  const evidence = {
    failures,
    code: error.code,
    ...(error.status !== undefined && { status: error.status }),
    ...(isRegisteredOAuthError(error.error) && { error: error.error }),
  }
  if (error instanceof InvalidClientError) {
    return { reason: 'invalid_client', until: now + policy.invalidClientCooldownMs, ...evidence }
  }
  const reason = error instanceof RateLimitedError ? 'rate_limited' : 'backoff'
  const ceiling = Math.min(policy.backoff.initialMs * 2 ** (failures - 1), policy.backoff.maxMs)
  const backoff = Math.max(policy.backoff.initialMs, ceiling / 2 + random() * (ceiling / 2))
  const retryAt = Math.min(error.retryAt ?? 0, now + policy.maxRetryAfterMs)
  return { reason, until: Math.max(now + backoff, retryAt), ...evidence }
}

/**
 * `cooldown` cut to the longest this context's own policy would ever set for its reason. Applied to
 * every cooldown that comes from elsewhere (a store, a peer), so a stale or forged record holds
 * callers back for minutes at worst, never a day.
 */
export function clampCooldown(cooldown: CooldownRecord, now: number, policy: CooldownPolicy): CooldownRecord {
  const longest =
    cooldown.reason === 'invalid_client'
      ? policy.invalidClientCooldownMs
      : Math.max(policy.backoff.maxMs, cooldown.reason === 'rate_limited' ? policy.maxRetryAfterMs : 0)
  return cooldown.until - now > longest ? { ...cooldown, until: now + longest } : cooldown
}

const ERRORS: Record<string, new (message: string, details: TokenErrorDetails) => TokenError> = {
  [TokenError.code]: TokenError,
  [InvalidClientError.code]: InvalidClientError,
  [RateLimitedError.code]: RateLimitedError,
  [TokenEndpointError.code]: TokenEndpointError,
  [TokenRequestError.code]: TokenRequestError,
  [TokenTimeoutError.code]: TokenTimeoutError,
  [TokenResponseError.code]: TokenResponseError,
  [TokenLifetimeError.code]: TokenLifetimeError,
  [RedirectRefusedError.code]: RedirectRefusedError,
}

/**
 * The error a caller gets while a cooldown holds: the same class, code, status and registered OAuth
 * error as the failure that started it, even when that failure happened in another tab or isolate.
 */
export function cooldownError(cooldown: CooldownRecord, api: Api, now: number, clock: () => number = Date.now): TokenError {
  const ErrorClass =
    (cooldown.code && ERRORS[cooldown.code]) ||
    (cooldown.reason === 'invalid_client' ? InvalidClientError : cooldown.reason === 'rate_limited' ? RateLimitedError : TokenEndpointError)
  // Built here from codes and the status alone: a stored record carries no server text to quote.
  const status = cooldown.status === undefined ? '' : ` (${cooldown.status}${cooldown.error ? ` ${cooldown.error}` : ''})`
  const seconds = Math.ceil((cooldown.until - now) / 1000)
  const error = new ErrorClass(
    `Token request held back for ${seconds} s after ${cooldown.failures} failed request(s)${status}: ${cooldown.reason}`,
    { api, status: cooldown.status, error: cooldown.error, retryAt: cooldown.until, now: clock },
  )
  return error
}

/**
 * `error` again, with `retryAt` set: a `TokenError` is read-only, so the one the caller gets is
 * built anew with the same class, message and evidence, on the auth object's clock.
 */
export function withRetryAt(error: TokenError, retryAt: number, now: () => number): TokenError {
  const ErrorClass = error.constructor as new (message: string, details: TokenErrorDetails) => TokenError
  return new ErrorClass(error.message, {
    api: error.api,
    status: error.status,
    error: error.error,
    errorDescription: error.errorDescription,
    providerCode: error.providerCode,
    retryAt,
    cause: error.cause,
    now,
  })
}
