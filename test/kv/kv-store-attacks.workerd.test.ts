/**
 * Attacks on the shared Workers KV store, in workerd, by someone who can write the namespace but
 * does not hold the client secret: a forged cooldown, and a sealed token replayed with its expiry
 * pushed out. Each fresh isolate is an auth object with fresh memory behind a token broker.
 */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { createAuth } from '../../src/index.ts'
import { storeKey } from '../../src/token/store-key.ts'
import { createTokenBroker, kvStore } from '../../src/workers.ts'
import { forgedCooldown } from '../helpers/forged-cooldown.ts'
import { newRunId, run } from '../workerd/dev-servers.ts'

const HOUR_MS = 3_600_000

/** A fresh isolate: its own memory, the shared KV store, a broker in front. */
function isolate(id: string, clock: { now: number }) {
  const { server, credentials } = run(id, { tokenLifetimeSeconds: 120, now: () => clock.now })
  const auth = createAuth({
    credentials,
    store: kvStore(env.TOKENS, { credentials, minWriteIntervalMs: 0 }),
    fetch: server.fetch,
    now: () => clock.now,
  })
  const broker = createTokenBroker({ auth, authorize: () => true, now: () => clock.now })
  const ask = async () => {
    const response = await broker(
      new Request('https://app.example/auth/token', {
        method: 'POST',
        body: 'api=zeebe',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    )
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as Record<string, unknown>,
    }
  }
  return { server, credentials, auth, ask }
}

describe('a KV writer without the secret', () => {
  it('a forged 24 h invalid_client cooldown does not silence a fresh isolate: it gets a token, the record is replaced', async () => {
    const id = newRunId()
    const clock = { now: Date.now() }
    const { credentials } = run(id, { tokenLifetimeSeconds: 120, now: () => clock.now })
    const key = await storeKey(credentials, credentials.audiences.zeebe)
    await env.TOKENS.put(key, JSON.stringify(forgedCooldown(key, 'invalid_client', clock.now + 24 * HOUR_MS)))
    const fresh = isolate(id, clock)
    const answer = await fresh.ask()
    expect(answer).toMatchObject({ status: 200, retryAfter: null, body: { token_type: 'Bearer' } })
    expect(fresh.server.requests()).toBe(1)
    const stored = (await env.TOKENS.get(key))!
    expect(stored).not.toContain('evil.example')
    expect(Object.keys(JSON.parse(stored) as object)).toEqual(['sealed'])
  })

  it('a sealed 120 s token replayed with its expiry pushed out by 23 h is not handed out after its life', async () => {
    const id = newRunId()
    const clock = { now: Date.now() }
    const first = isolate(id, clock)
    const dead = (await first.ask()).body.access_token
    const key = await storeKey(first.credentials, first.credentials.audiences.zeebe)
    const sealed = (await env.TOKENS.get(key))!
    // A clear expiry in the value is pushed out (once sealed whole, there is none left to push).
    await env.TOKENS.put(
      key,
      sealed.replace(/("expiresAt":)(\d+)/g, (_, name: string, ms: string) => `${name}${Number(ms) + 23 * HOUR_MS}`),
    )
    clock.now += 130_000
    const later = isolate(id, clock)
    const answer = await later.ask()
    expect(answer.status).toBe(200)
    expect(answer.body.access_token).not.toBe(dead)
    expect(answer.body.expires_in).toBeLessThanOrEqual(120)
    // The original sealed record, put back once its token is dead, is not served either: its times are sealed with it.
    await env.TOKENS.put(key, sealed)
    const again = await isolate(id, clock).ask()
    expect(again.body.access_token).not.toBe(dead)
  })
})
