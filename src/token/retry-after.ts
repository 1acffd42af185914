/**
 * Reads an HTTP `Retry-After` header (RFC 9110 §10.2.3): a number of seconds or an HTTP date.
 * @module
 */

/**
 * The wait a `Retry-After` header asks for, in milliseconds, or `undefined` when the header is
 * absent or unreadable. A date in the past gives 0.
 */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (header == null) return undefined
  const value = header.trim()
  if (/^\d+$/.test(value)) return Math.min(Number(value), MAX_RETRY_AFTER_S) * 1000
  // An HTTP date always names a day and month; without letters, Date.parse would read '-5' as a year.
  const date = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN
  if (Number.isNaN(date)) return undefined
  return Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_S * 1000)
}

/** A server may not park us for more than a day; anything longer is a misconfiguration. */
const MAX_RETRY_AFTER_S = 86_400
