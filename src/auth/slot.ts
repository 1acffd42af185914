/**
 * One token request's state and its transitions: set a fresh token, adopt what a store or a peer
 * offers, drop a token the API refused, and tell whether a request is needed at all. APIs whose
 * requests are the same (audience and scope) share a slot, and so share their token.
 * @module
 */

import { refreshAt, usableUntil } from '../token/expiry.ts'
import type { CooldownRecord, ExpiryPolicy, RequestReason, StoredRecord, TokenRecord } from '../types.ts'
import { type CooldownPolicy, clampCooldown } from './cooldown.ts'

/** One token request's state (an audience and a scope), kept in the auth object's memory. */
export interface Slot {
  readonly audience: string | undefined
  readonly scope: string | undefined
  /** The store key, made once (a SHA-256 digest). */
  key?: Promise<string>
  token?: TokenRecord
  /** The token as a settled promise, made once per token: the hot path allocates nothing. */
  resolved?: Promise<string>
  /** `Bearer <token>`, made once per token. */
  bearer?: string
  /** Until when the token may be handed out (its expiry less the margin); 0 without a token. */
  usableUntil: number
  /** From when a background refresh starts; 0 without a token. */
  refreshAt: number
  cooldown?: CooldownRecord
  /** A token the API answered 401 to, or that was invalidated: never adopted again. */
  rejected?: string
  /** Until when a 401 does not drop `token`: it was fetched because the API refused its predecessor. */
  unauthorizedUntil: number
  /** Why the next request is sent, when it is not simply a cold start or an expiry. */
  nextReason?: RequestReason
  /** The one acquisition under way, which every caller of this context joins. */
  inflight?: Promise<TokenRecord>
  unsubscribe?: () => void
}

/** A slot with nothing in it yet. */
export function emptySlot(audience: string | undefined, scope?: string): Slot {
  return { audience, scope, usableUntil: 0, refreshAt: 0, unauthorizedUntil: 0 }
}

/** Makes `token` the slot's token, with its times worked out once. */
export function setToken(slot: Slot, token: TokenRecord, policy: ExpiryPolicy, unauthorizedUntil = 0): void {
  slot.token = token
  slot.unauthorizedUntil = unauthorizedUntil
  slot.resolved = Promise.resolve(token.accessToken)
  slot.bearer = `Bearer ${token.accessToken}`
  slot.usableUntil = usableUntil(token, policy)
  slot.refreshAt = refreshAt(token, policy)
  slot.rejected = slot.nextReason = undefined
}

/**
 * Takes what a store read or a peer offers (already validated), where it is newer than what the
 * slot holds. Returns whether its token was adopted. What another context says never holds
 * callers back longer than this one's own policy would.
 */
export function adoptRecord(
  slot: Slot,
  record: StoredRecord,
  at: number,
  policy: ExpiryPolicy,
  cooldownPolicy: CooldownPolicy,
  unauthorizedWindowMs: number,
): boolean {
  const { token } = record
  let adopted = false
  if (token && token.accessToken !== slot.rejected && (!slot.token || token.expiresAt > slot.token.expiresAt)) {
    setToken(slot, token, policy, Math.min(record.unauthorizedUntil ?? 0, at + unauthorizedWindowMs))
    if (!record.cooldown) slot.cooldown = undefined
    adopted = true
  }
  const cooldown = record.cooldown && clampCooldown(record.cooldown, at, cooldownPolicy)
  if (cooldown && (!slot.cooldown || cooldown.until > slot.cooldown.until)) slot.cooldown = cooldown
  return adopted
}

/** Drops the slot's token, if it is still `accessToken`, so that the next call fetches a new one. */
export function dropToken(slot: Slot, reason: RequestReason, accessToken = slot.token?.accessToken): void {
  if (!slot.token || slot.token.accessToken !== accessToken) return
  slot.rejected = accessToken
  slot.nextReason = reason
  slot.token = slot.resolved = slot.bearer = undefined
  slot.usableUntil = slot.refreshAt = 0
}

/** True when the slot's token makes a request for `reason` unnecessary at time `at`. */
export function satisfied(slot: Slot, reason: RequestReason, at: number): boolean {
  if (!slot.token || at >= slot.usableUntil) return false
  return reason === 'refresh_ahead' ? at < slot.refreshAt : true
}

/** The cooldown that holds at `at`, if any. */
export function activeCooldown(slot: Slot, at: number): CooldownRecord | undefined {
  return slot.cooldown && at < slot.cooldown.until ? slot.cooldown : undefined
}
