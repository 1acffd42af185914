/**
 * The Worker each simulated isolate runs, bundled with esbuild. It keeps one auth object per
 * isolate (module scope is the isolate's memory) over the shared KV namespace `TOKENS`, coordinated
 * as `MODE` says: `none` (each isolate alone), `lease` (kvLeaseCoordinator) or `durable-object`
 * (durableObjectCoordinator over `TOKEN_LOCK`).
 */
import { createAuth, inProcessCoordinator, parseCredentials, type Auth, type AuthEvent, type Coordinator } from '../../src/index.ts'
import {
  durableObjectCoordinator,
  kvLeaseCoordinator,
  kvStore,
  type DurableObjectNamespaceLike,
  type KvNamespaceLike,
} from '../../src/workers.ts'

export { TokenLockObject } from '../../src/workers.ts'

interface Env {
  readonly TOKENS: KvNamespaceLike
  readonly TOKEN_LOCK?: DurableObjectNamespaceLike
  /** The credential bundle, as JSON. */
  readonly CAMUNDA: string
  readonly MODE: 'none' | 'lease' | 'durable-object'
  /** `0` to let the emulator's KV failures through (see `retrying`). */
  readonly RETRY_KV?: string
}

interface Context {
  waitUntil(promise: Promise<unknown>): void
}

/**
 * Workerd processes sharing one persisted KV directory contend for its SQLite files, and a KV
 * operation then fails with a 500 (SQLITE_BUSY) that real KV does not produce. Retrying here keeps
 * that emulator artefact out of the measurement; `RETRY_KV=0` measures it as it is.
 */
function retrying(inner: KvNamespaceLike): KvNamespaceLike {
  const attempt = async <T>(run: () => Promise<T>): Promise<T> => {
    for (let tries = 1; ; tries++) {
      try {
        return await run()
      } catch (error) {
        const busy = /500 Internal Server Error|internal error/.test(String(error))
        if (!busy || tries >= 20) throw error
        await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 10))
      }
    }
  }
  return {
    get: (key, options) => attempt(() => inner.get(key, options)),
    put: (key, value, options) => attempt(() => inner.put(key, value, options)),
    delete: (key) => attempt(() => inner.delete(key)),
  }
}

let auth: Auth | undefined
const events: AuthEvent[] = []

function namespaceOf(env: Env): KvNamespaceLike {
  return env.RETRY_KV === '0' ? env.TOKENS : retrying(env.TOKENS)
}

function coordinatorFor(env: Env): Coordinator {
  if (env.MODE === 'lease') return kvLeaseCoordinator(namespaceOf(env), { pollMs: 50 })
  if (env.MODE === 'durable-object' && env.TOKEN_LOCK) return durableObjectCoordinator(env.TOKEN_LOCK)
  return inProcessCoordinator()
}

export default {
  async fetch(_request: Request, env: Env, ctx: Context): Promise<Response> {
    if (!auth) {
      const credentials = parseCredentials(JSON.parse(env.CAMUNDA) as Record<string, string>)
      auth = createAuth({
        credentials,
        store: kvStore(namespaceOf(env), { credentials, cacheTtlSeconds: 30, waitUntil: (p) => ctx.waitUntil(p) }),
        coordinator: coordinatorFor(env),
        onEvent: (event) => events.push(event),
      })
    }
    const token = await auth.getToken('zeebe')
    return Response.json({
      token,
      events: events.map((event) => event.type),
      errors: events.flatMap((event) => ('message' in event ? [event.message] : [])),
    })
  },
}
