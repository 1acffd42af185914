/**
 * What the server remembers about the requests it got, for tests to count and inspect.
 * @module
 */

import type { Api } from '../types.ts'

/**
 * One token request. `status` is 0 until it is answered, and stays 0 if it never is (a reset, or
 * the client gave up during a delay).
 *
 * @example
 * ```ts
 * server.requestLog.map((e: TokenRequestLogEntry) => e.status) // [200, 429]
 * ```
 */
export interface TokenRequestLogEntry {
  /** When it arrived, on the server's clock (epoch ms). */
  readonly at: number
  readonly clientId?: string
  readonly audience?: string
  /** The `scope` parameter, as sent. */
  readonly scope?: string
  /** How the client authenticated: `post`, `basic`, `assertion` (private_key_jwt) or `none`. */
  readonly auth?: 'basic' | 'post' | 'assertion' | 'none'
  readonly status: number
}

/**
 * One request to a fake API route.
 *
 * @example
 * ```ts
 * server.apiRequestLog.filter((e: ApiRequestLogEntry) => e.status === 401).length
 * ```
 */
export interface ApiRequestLogEntry {
  readonly at: number
  readonly api: Api
  readonly method: string
  /** The path below the API's prefix, e.g. `/v2/topology`. */
  readonly path: string
  /** The token's subject (client id) when the token was accepted. */
  readonly sub?: string
  readonly status: number
}

/**
 * Filter for `DevAuthServer.requests`: every field given must match.
 *
 * @example
 * ```ts
 * server.requests({ clientId: 'dev-client', audience: 'zeebe.camunda.io' } satisfies TokenRequestFilter)
 * ```
 */
export interface TokenRequestFilter {
  readonly clientId?: string
  readonly audience?: string
  readonly scope?: string
}

/**
 * A log whose entries the server can complete later, but callers can only read.
 */
export interface RequestLog<E> {
  readonly entries: readonly E[]
  /** Append an entry; returns a function that sets its final status, and any fields learnt late. */
  add(entry: E): (status: number, late?: Partial<E>) => void
  clear(): void
}

/**
 * A log of entries with a settable `status`.
 */
export function createRequestLog<E extends { readonly status: number }>(): RequestLog<E> {
  const entries: E[] = []
  return {
    entries,
    add(entry) {
      const copy = { ...entry }
      entries.push(copy)
      return (status, late) => {
        // The entry is readonly to callers only; the server completes it once the answer is known.
        Object.assign(copy, late, { status })
      }
    },
    clear() {
      entries.length = 0
    },
  }
}

/**
 * How many token requests match `filter`: every field given must be equal.
 */
export function countTokenRequests(entries: readonly TokenRequestLogEntry[], filter: TokenRequestFilter = {}): number {
  return entries.filter(
    (e) =>
      (filter.clientId === undefined || e.clientId === filter.clientId) &&
      (filter.audience === undefined || e.audience === filter.audience) &&
      (filter.scope === undefined || e.scope === filter.scope),
  ).length
}
