/**
 * Reading records back from a store. A store may hold anything — a record from an older version,
 * another program's value, a truncated write — so every field is checked and anything else is
 * treated as absent (and later replaced).
 * @module
 */

import type { CooldownReason, CooldownRecord, StoredRecord, TokenRecord } from '../types.ts'
import { isBearerToken } from './response.ts'

const REASONS: readonly CooldownReason[] = ['rate_limited', 'invalid_client', 'backoff']
/** Nothing we store lives longer than a day; a record that says otherwise is not ours. */
const MAX_SPAN_MS = 24 * 3_600_000 + 60_000

/**
 * The valid parts of a stored value, or `undefined` when nothing in it is usable.
 *
 * @example
 * ```ts
 * readStoredRecord(await store.get(key), key, Date.now())?.token?.accessToken
 * ```
 */
export function readStoredRecord(value: unknown, key: string, now: number): StoredRecord | undefined {
  if (!isObject(value) || value.v !== 1 || value.key !== key) return undefined
  const token = readToken(value.token, now)
  const cooldown = readCooldown(value.cooldown, now)
  if (!token && !cooldown) return undefined
  return { v: 1, key, ...(token && { token }), ...(cooldown && { cooldown }) }
}

function readToken(value: unknown, now: number): TokenRecord | undefined {
  if (!isObject(value)) return undefined
  const { accessToken, expiresAt, receivedAt } = value
  if (!isBearerToken(accessToken)) return undefined
  if (!isTime(expiresAt) || !isTime(receivedAt) || expiresAt <= receivedAt) return undefined
  if (expiresAt - receivedAt > MAX_SPAN_MS || receivedAt > now + 60_000 || expiresAt <= now) return undefined
  return { accessToken, expiresAt, receivedAt }
}

function readCooldown(value: unknown, now: number): CooldownRecord | undefined {
  if (!isObject(value)) return undefined
  const { reason, until, failures, code, status, error, errorDescription } = value
  if (!REASONS.includes(reason as CooldownReason) || !isTime(until) || until > now + MAX_SPAN_MS) return undefined
  if (typeof failures !== 'number' || !Number.isInteger(failures) || failures < 0 || failures > 1000) return undefined
  return {
    reason: reason as CooldownReason,
    until,
    failures,
    ...(typeof code === 'string' && /^ERR_[A-Z_]{1,40}$/.test(code) && { code }),
    ...(typeof status === 'number' && Number.isInteger(status) && { status }),
    ...(typeof error === 'string' && { error: error.slice(0, 100) }),
    ...(typeof errorDescription === 'string' && { errorDescription: errorDescription.slice(0, 300) }),
  }
}

/**
 * Whether `value` is a plain JSON-style object (not null, not an array): the shape of every record.
 *
 * @example
 * ```ts
 * if (isObject(value) && isObject(value.token)) readSealedToken(value.token)
 * ```
 */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The value of JSON `text`, or `undefined` when there is no text or it is not JSON (a foreign
 * value, a truncated write, an HTML error page): callers treat that as "nothing here".
 *
 * @example
 * ```ts
 * parseJson('{"v":1}') // { v: 1 }
 * parseJson('<html>') // undefined
 * parseJson(null) // undefined
 * ```
 */
export function parseJson(text: string | null | undefined): unknown {
  if (typeof text !== 'string') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
}
