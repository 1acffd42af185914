/**
 * The Worker that `bench/upload-memory.ts` bundles with esbuild and runs in workerd: three ways to
 * send one large streamed POST to the loopback upstream, so their memory can be compared.
 *
 * - `POST /direct/…`: `fetch(upstream, { body: request.body })`, the floor.
 * - `POST /zeebe/…`: `createCamundaProxy` over `createAuth` (its `auth.fetch`, as shipped).
 * - `POST /noclone/zeebe/…`: the same proxy over an `auth.fetch` that attaches the token and
 *   does not clone the request (no retry on 401): what the proxy costs without the clone.
 *
 * Env: `CREDENTIALS` (JSON of the Console's variable names), `UPSTREAM` (the upstream's origin).
 */
import { createAuth, parseCredentials, type Auth } from '../src/index.ts'
import { createCamundaProxy } from '../src/workers.ts'

interface Env {
  readonly CREDENTIALS: string
  readonly UPSTREAM: string
}

let handlers: { proxy: (request: Request) => Promise<Response>; noClone: (request: Request) => Promise<Response> } | undefined

/** One auth object per isolate, as a real Worker keeps it: the token is fetched once, at warm-up. */
function handlersFor(env: Env) {
  if (handlers) return handlers
  const auth = createAuth({ credentials: parseCredentials(JSON.parse(env.CREDENTIALS) as Record<string, string>) })
  // A stand-in for the fix under way: the token attached, the request sent once, never cloned.
  const noCloneAuth: Pick<Auth, 'fetch' | 'urls'> = {
    urls: auth.urls,
    async fetch(api, input, init) {
      const request = new Request(input, init)
      request.headers.set('authorization', `Bearer ${await auth.getToken(api)}`)
      return fetch(request)
    },
  }
  const authorize = () => true
  handlers = {
    proxy: createCamundaProxy({ auth, authorize, apis: ['zeebe'] }),
    noClone: createCamundaProxy({ auth: noCloneAuth, authorize, apis: ['zeebe'], prefix: '/noclone' }),
  }
  return handlers
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url)
    if (url.pathname.startsWith('/direct/')) {
      const init: RequestInit & { duplex: 'half' } = {
        method: 'POST',
        headers: { 'content-type': request.headers.get('content-type') ?? 'application/octet-stream' },
        body: request.body,
        duplex: 'half',
      }
      return fetch(`${env.UPSTREAM}${url.pathname}`, init)
    }
    const { proxy, noClone } = handlersFor(env)
    return url.pathname.startsWith('/noclone/') ? noClone(request) : proxy(request)
  },
}
