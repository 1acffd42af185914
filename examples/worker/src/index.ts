/**
 * A Cloudflare Worker that lets browser code use Camunda 8 without ever holding the client secret:
 *
 *   POST /auth/token           the token broker: a short-lived token for `api=zeebe|operate|…`
 *   ANY  /zeebe/*, /operate/*, /tasklist/*, /optimize/*
 *                              the proxy: forwarded to the bundle's API with the Worker's token
 *
 * Both ask `authorize` first. Every isolate shares one token per credential set: tokens are kept
 * sealed in KV (`TOKENS`) and refreshes are serialised by the `TokenLockObject` Durable Object,
 * so a thousand isolates waking at once still send one token request.
 *
 * In the browser, with `camunda-edge-auth/browser`:
 *   const auth = createAuth({
 *     ...brokerTokenSource({ url: '/auth/token', baseUrls: { zeebe: '/zeebe' }, init: { headers: { 'x-app-key': key } } }),
 *     store: indexedDBStore(),
 *   })
 */
import { createAuth, parseCredentials, type Auth } from 'camunda-edge-auth'
import {
  createCamundaProxy,
  createTokenBroker,
  durableObjectCoordinator,
  kvStore,
  type DurableObjectNamespaceLike,
  type KvNamespaceLike,
  type RequestAuthorizer,
} from 'camunda-edge-auth/workers'

// The Durable Object class must be exported from the Worker's main module.
export { TokenLockObject } from 'camunda-edge-auth/workers'

/** The bindings (wrangler.jsonc) and variables: the credential bundle's names, plus this app's own. */
export interface Env {
  readonly TOKENS: KvNamespaceLike
  readonly TOKEN_LOCK: DurableObjectNamespaceLike
  /** A secret (`wrangler secret put APP_KEY`): what `authorize` expects in `x-app-key`. */
  readonly APP_KEY?: string
  /** Comma-separated origins of pages elsewhere that may call the broker. */
  readonly ALLOWED_ORIGINS?: string
  /** ZEEBE_CLIENT_ID, ZEEBE_CLIENT_SECRET (a secret), ZEEBE_REST_ADDRESS, … as the Console names them. */
  readonly [variable: string]: unknown
}

interface Handlers {
  readonly auth: Auth
  readonly broker: (request: Request) => Promise<Response>
  readonly proxy: (request: Request) => Promise<Response>
}

/**
 * Who may have a token or call Camunda. This example checks a shared key in the `x-app-key`
 * header (the proxy never forwards it). In a real app, check your session cookie instead; behind
 * Cloudflare Access, verify the `Cf-Access-Jwt-Assertion` header with jose's `jwtVerify` against
 * `https://<team>.cloudflareaccess.com/cdn-cgi/access/certs` and your application's AUD tag.
 */
function sharedKeyAuthorizer(env: Env): RequestAuthorizer {
  const expected = typeof env.APP_KEY === 'string' && env.APP_KEY !== '' ? env.APP_KEY : undefined
  return async (request) => {
    const given = request.headers.get('x-app-key')
    // No key configured means nobody gets in: failing closed beats an open broker.
    return expected !== undefined && given !== null && (await sameText(given, expected))
  }
}

/** Compares two strings in time that does not depend on where they differ (via their digests). */
async function sameText(a: string, b: string): Promise<boolean> {
  const encoder = new TextEncoder()
  const [x, y] = await Promise.all([a, b].map((text) => crypto.subtle.digest('SHA-256', encoder.encode(text))))
  const left = new Uint8Array(x!)
  const right = new Uint8Array(y!)
  let difference = 0
  for (let i = 0; i < left.length; i++) difference |= left[i]! ^ right[i]!
  return difference === 0
}

// One auth object per isolate (per env object): its memory serves every request the isolate
// handles, so most requests never touch KV, let alone the token endpoint.
const cache = new WeakMap<Env, Handlers>()

function handlersFor(env: Env): Handlers {
  let handlers = cache.get(env)
  if (!handlers) {
    const credentials = parseCredentials(env)
    const auth = createAuth({
      credentials,
      store: kvStore(env.TOKENS, { credentials }),
      coordinator: durableObjectCoordinator(env.TOKEN_LOCK),
    })
    const authorize = sharedKeyAuthorizer(env)
    const allowOrigin = (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean)
    handlers = {
      auth,
      broker: createTokenBroker({ auth, authorize, allowOrigin, allowHeaders: ['content-type', 'x-app-key'] }),
      proxy: createCamundaProxy({ auth, authorize, allowOrigin }),
    }
    cache.set(env, handlers)
  }
  return handlers
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    let handlers: Handlers
    try {
      handlers = handlersFor(env)
    } catch (error) {
      // A CredentialsError names the variables that are wrong, never their values.
      console.error(error instanceof Error ? error.message : error)
      return Response.json({ error: 'server_error', error_description: 'the Worker is misconfigured; see its logs' }, { status: 500 })
    }
    const { pathname } = new URL(request.url)
    if (pathname === '/auth/token') return handlers.broker(request)
    if (pathname === '/') {
      return new Response('POST /auth/token (api=zeebe|operate|tasklist|optimize)\n/zeebe/*, /operate/*, /tasklist/*, /optimize/*\n', {
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      })
    }
    return handlers.proxy(request)
  },
}
