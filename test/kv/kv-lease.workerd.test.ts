import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { createAuth, inProcessCoordinator, type AuthEvent } from '../../src/index.ts'
import { storeKey } from '../../src/token/store-key.ts'
import { kvLeaseCoordinator, kvStore, type KvLeaseOptions, type KvNamespaceLike } from '../../src/workers.ts'
import { newRunId, run } from '../workerd/dev-servers.ts'

const namespace: KvNamespaceLike = env.TOKENS
const fast: KvLeaseOptions = { settleMs: 50, pollMs: 20, leaseMs: 3_000 }

/** An auth object as a fresh isolate would make it: its own memory, store and coordinator. */
function isolate(id: string, options: KvLeaseOptions = fast, events: AuthEvent[] = [], ns: KvNamespaceLike = namespace) {
  const { server, credentials } = run(id)
  return createAuth({
    credentials,
    store: kvStore(ns, { credentials }),
    coordinator: kvLeaseCoordinator(ns, options),
    fetch: server.fetch,
    onEvent: (event) => events.push(event),
  })
}

async function leaseKeyOf(id: string): Promise<string> {
  const { credentials } = run(id)
  return `lease:${await storeKey(credentials, credentials.audiences.zeebe)}`
}

describe('kvLeaseCoordinator', () => {
  it('10 isolates cold-starting together without coordination send 10 token requests', async () => {
    const id = newRunId()
    const { server, credentials } = run(id)
    const uncoordinated = () =>
      createAuth({ credentials, store: kvStore(namespace, { credentials }), coordinator: inProcessCoordinator(), fetch: server.fetch })
    await Promise.all(Array.from({ length: 10 }, () => uncoordinated().getToken()))
    expect(server.requests()).toBe(10)
  })

  it('10 isolates cold-starting together over one KV location send 1 token request', async () => {
    const id = newRunId()
    const tokens = await Promise.all(Array.from({ length: 10 }, () => isolate(id, { pollMs: 20 }).getToken()))
    expect(new Set(tokens).size).toBe(1)
    // One location's KV is read-after-write consistent, so all of them read back the same holder.
    expect(run(id).server.requests()).toBe(1)
  })

  it('takes over when the holder died: waits until its lease lapses, then refreshes once', async () => {
    const id = newRunId()
    const started = Date.now()
    await env.TOKENS.put(await leaseKeyOf(id), JSON.stringify({ owner: 'dead', since: started, until: started + 300 }))
    const events: AuthEvent[] = []
    await isolate(id, fast, events).getToken()
    expect(Date.now() - started).toBeGreaterThanOrEqual(300)
    expect(run(id).server.requests()).toBe(1)
    expect(events.filter((e) => e.type === 'coordinator_error')).toEqual([])
  })

  it('never blocks getToken longer than leaseMs: a stuck lease ends in coordinator_error and a token', async () => {
    const id = newRunId()
    const now = Date.now()
    await env.TOKENS.put(await leaseKeyOf(id), JSON.stringify({ owner: 'stuck', since: now, until: now + 600_000 }))
    const events: AuthEvent[] = []
    const token = await isolate(id, { ...fast, leaseMs: 200 }, events).getToken()
    expect(token.split('.')).toHaveLength(3)
    expect(events).toContainEqual({ type: 'coordinator_error', message: expect.stringContaining('no KV lease') })
    expect(run(id).server.requests()).toBe(1)
  })

  it('falls back to a direct request when KV fails', async () => {
    const id = newRunId()
    const broken: KvNamespaceLike = {
      get: async () => {
        throw new Error('KV GET failed: 500')
      },
      put: async () => {
        throw new Error('KV PUT failed: 500')
      },
      delete: async () => {},
    }
    const events: AuthEvent[] = []
    const token = await isolate(id, fast, events, broken).getToken()
    expect(token.split('.')).toHaveLength(3)
    expect(events.some((e) => e.type === 'coordinator_error')).toBe(true)
    expect(run(id).server.requests()).toBe(1)
  })
})
