/**
 * The Worker under test. Each request builds its own auth object with fresh memory, as a new
 * isolate would, and gets a token through the TokenLockObject Durable Object from the run's dev
 * server (in this isolate, so it counts every token request).
 *
 * GET /token?run=<id>[&coordinator=broken]   → { token, events }
 * GET /requests?run=<id>                      → { requests }
 */
import { createAuth, memoryStore, type AuthEvent } from '../../src/index.ts'
import { durableObjectCoordinator, type DurableObjectNamespaceLike } from '../../src/workers.ts'
import type { TestEnv } from 'cloudflare:test'
import { run } from './dev-servers.ts'

export { TokenLockObject } from '../../src/workers.ts'

type Env = TestEnv

/** A namespace whose every use throws: the Durable Object cannot be reached. */
const unreachable: DurableObjectNamespaceLike = {
  idFromName: () => {
    throw new Error('Durable Object namespace unavailable')
  },
  get: () => {
    throw new Error('Durable Object namespace unavailable')
  },
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url)
    const id = url.searchParams.get('run')
    if (!id) return Response.json({ error: 'run is required' }, { status: 400 })
    const { server, credentials } = run(id)
    if (url.pathname === '/requests') return Response.json({ requests: server.requests() })
    if (url.pathname !== '/token') return Response.json({ error: 'not found' }, { status: 404 })
    const events: AuthEvent[] = []
    const binding = url.searchParams.get('coordinator') === 'broken' ? unreachable : env.TOKEN_LOCK
    const auth = createAuth({
      credentials,
      store: memoryStore(),
      coordinator: durableObjectCoordinator(binding),
      fetch: server.fetch,
      onEvent: (event) => events.push(event),
    })
    try {
      const token = await auth.getToken('zeebe')
      return Response.json({ token, events })
    } finally {
      auth.close()
    }
  },
}
