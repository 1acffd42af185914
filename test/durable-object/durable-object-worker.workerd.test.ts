import { SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import type { AuthEvent } from '../../src/index.ts'
import { newRunId } from '../workerd/dev-servers.ts'

interface TokenAnswer {
  readonly token: string
  readonly events: AuthEvent[]
}

async function getToken(run: string, query = ''): Promise<TokenAnswer> {
  const response = await SELF.fetch(`https://worker.test/token?run=${run}${query}`)
  expect(response.status).toBe(200)
  return (await response.json()) as TokenAnswer
}

async function tokenRequests(run: string): Promise<number> {
  const response = await SELF.fetch(`https://worker.test/requests?run=${run}`)
  return ((await response.json()) as { requests: number }).requests
}

describe('TokenLockObject Durable Object', () => {
  it('50 concurrent requests, each with fresh memory, cause exactly 1 token request', async () => {
    const run = newRunId()
    const answers = await Promise.all(Array.from({ length: 50 }, () => getToken(run)))
    expect(await tokenRequests(run)).toBe(1)
    expect(new Set(answers.map((a) => a.token)).size).toBe(1)
    // 49 of them were handed the token by the object's grant, before refreshing.
    const fromPeer = answers.filter((a) => a.events.some((e) => e.type === 'cache_hit' && e.source === 'peer'))
    expect(fromPeer).toHaveLength(49)
    expect(answers.flatMap((a) => a.events).filter((e) => e.type === 'coordinator_error')).toEqual([])
  })

  it('serves later requests from the object without a new token request', async () => {
    const run = newRunId()
    const first = await getToken(run)
    const later = await getToken(run)
    expect(later.token).toBe(first.token)
    expect(await tokenRequests(run)).toBe(1)
  })

  it('still serves a token when the object cannot be reached, and emits coordinator_error', async () => {
    const run = newRunId()
    const answer = await getToken(run, '&coordinator=broken')
    expect(answer.token.split('.')).toHaveLength(3)
    expect(answer.events.filter((e) => e.type === 'coordinator_error')).toHaveLength(1)
    expect(answer.events.some((e) => e.type === 'token_received')).toBe(true)
    expect(await tokenRequests(run)).toBe(1)
  })
})
