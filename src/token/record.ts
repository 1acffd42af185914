/**
 * Reading records back from a store. A store may hold anything — a record from an older version,
 * another program's value, a truncated write — so every field is checked and anything else is
 * treated as absent (and later replaced).
 * @module
 */

import type { CooldownReason, CooldownRecord, StoredRecord, TokenRecord } from '../types.ts'
import { isObject } from '../lib/is-object.ts'
import { DEFAULT_EXPIRY_POLICY, jwtExpiry } from './expiry.ts'
import { isBearerToken } from './response.ts'

const REASONS: readonly CooldownReason[] = ['rate_limited', 'invalid_client', 'backoff']
/** Nothing we store lives longer than a day; a record that says otherwise is not ours. */
const MAX_SPAN_MS = 24 * 3_600_000 + 60_000

/**
 * The valid parts of a stored value, or `undefined` when nothing in it is usable. A JWT's expiry is
 * capped by its own `exp`, so a record whose times were rewritten cannot keep a dead token alive.
 */
export function readStoredRecord(
  value: unknown,
  key: string,
  now: number,
  maxClockSkewMs = DEFAULT_EXPIRY_POLICY.maxClockSkewMs,
): StoredRecord | undefined {
  if (!isObject(value) || value.v !== 1 || value.key !== key) return undefined
  const token = readToken(value.token, now, maxClockSkewMs)
  const cooldown = readCooldown(value.cooldown, now)
  if (!token && !cooldown) return undefined
  const { unauthorizedUntil } = value
  return {
    v: 1,
    key,
    ...(token && { token }),
    ...(cooldown && { cooldown }),
    ...(token && isTime(unauthorizedUntil) && unauthorizedUntil > now && { unauthorizedUntil }),
  }
}

function readToken(value: unknown, now: number, maxClockSkewMs: number): TokenRecord | undefined {
  if (!isObject(value)) return undefined
  const { accessToken, expiresAt: stored, receivedAt } = value
  if (!isBearerToken(accessToken)) return undefined
  if (!isTime(stored) || !isTime(receivedAt) || stored <= receivedAt) return undefined
  // The same skew correction as on receipt, taken from the stored receivedAt.
  const expiresAt = Math.min(stored, jwtExpiry(accessToken, receivedAt, maxClockSkewMs) ?? stored)
  if (expiresAt - receivedAt > MAX_SPAN_MS || receivedAt > now + 60_000 || expiresAt <= now) return undefined
  return { accessToken, expiresAt, receivedAt }
}

function readCooldown(value: unknown, now: number): CooldownRecord | undefined {
  if (!isObject(value)) return undefined
  const { reason, until, failures, code, status, error } = value
  if (!REASONS.includes(reason as CooldownReason) || !isTime(until) || until > now + MAX_SPAN_MS) return undefined
  if (typeof failures !== 'number' || !Number.isInteger(failures) || failures < 0 || failures > 1000) return undefined
  // Server text (`error`, `error_description`) is never read back: messages are built locally.
  return {
    reason: reason as CooldownReason,
    until,
    failures,
    ...(typeof code === 'string' && /^ERR_[A-Z_]{1,40}$/.test(code) && { code }),
    ...(typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599 && { status }),
    ...(isRegisteredOAuthError(error) && { error }),
  }
}

/** OAuth `error` codes registered by RFC 6749 §5.2, RFC 6749 §4.1.2.1 and RFC 8707 §2. */
const OAUTH_ERRORS: ReadonlySet<unknown> = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'invalid_target',
  'access_denied',
  'server_error',
  'temporarily_unavailable',
])

/**
 * Whether `value` is a registered OAuth `error` code: the only server-given word a stored cooldown
 * keeps, since it comes from a fixed list and cannot carry a message.
 */
export function isRegisteredOAuthError(value: unknown): value is string {
  return OAUTH_ERRORS.has(value)
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
}
