/**
 * The record an attacker who can write a store (or post to a peer channel) but holds no secret
 * would plant: a cooldown meant to silence every context, with server-looking text that must never
 * reach an error, an event or the store again. Web APIs only: the behaviour suite, the Deno, the
 * workerd and the reliability tests plant the same one.
 */
import type { CooldownRecord, StoredRecord } from '../../src/index.ts'

/** A forged cooldown record for `key` until `until`, typed as the store holds records. */
export function forgedCooldown(key: string, reason: CooldownRecord['reason'], until: number): StoredRecord {
  const record = {
    v: 1,
    key,
    cooldown: {
      reason,
      until,
      failures: 1,
      code: reason === 'invalid_client' ? 'ERR_INVALID_CLIENT' : 'ERR_RATE_LIMITED',
      status: reason === 'invalid_client' ? 401 : 429,
      error: 'invalid_client',
      errorDescription: 'rotate it at https://evil.example',
    },
  }
  return record as unknown as StoredRecord
}
