/**
 * The user-task inbox's Worker: it serves the page and proxies the page's calls to the
 * Orchestration Cluster REST API with its own token. The client secret and every token stay here;
 * the page talks only to this origin.
 *
 *   GET  /, /app.js, /app.css    the page (static assets, with a strict Content-Security-Policy)
 *   GET  /session                who is signed in: { user }, or 401
 *   POST /session                sign in: form fields `user` and `key` (the team key, APP_KEY)
 *   POST /session/end            sign out
 *   ANY  /zeebe/*                createCamundaProxy: the Orchestration Cluster REST API, for a
 *                                signed-in person (or a script sending x-app-key)
 *   anything else                404
 *
 * Every isolate shares one token per credential set: sealed in KV (`TOKENS`), refreshed under the
 * `TokenLockObject` Durable Object (`TOKEN_LOCK`).
 */
import { createAuth, parseCredentials } from 'camunda-edge-auth'
import {
  createCamundaProxy,
  durableObjectCoordinator,
  kvStore,
  type DurableObjectNamespaceLike,
  type KvNamespaceLike,
} from 'camunda-edge-auth/workers'
import { endedSessionCookie, isTeamKey, sessionCookie, sessionSecrets, sessionUser, userName, type SessionSecrets } from './session.ts'

// The Durable Object class must be exported from the Worker's main module.
export { TokenLockObject } from 'camunda-edge-auth/workers'

/** The bindings (wrangler.jsonc), the credential bundle's variables, and this tool's two secrets. */
export interface Env {
  readonly TOKENS: KvNamespaceLike
  readonly TOKEN_LOCK: DurableObjectNamespaceLike
  /** The built page (wrangler.jsonc `assets`). */
  readonly ASSETS: { fetch(request: Request): Promise<Response> }
  /** A secret: the team key people type to sign in (and scripts send as `x-app-key`). */
  readonly APP_KEY?: string
  /** A secret: signs session cookies. */
  readonly SESSION_SECRET?: string
  /** ZEEBE_CLIENT_ID, ZEEBE_CLIENT_SECRET (a secret), ZEEBE_REST_ADDRESS, … as the Console names them. */
  readonly [variable: string]: unknown
}

interface Tool {
  readonly secrets: SessionSecrets
  readonly proxy: (request: Request) => Promise<Response>
}

/** The page's own paths; everything the page needs is served from this origin. */
const PAGE_FILES = new Set(['/', '/app.js', '/app.css'])

/**
 * What the page may do: load its own script and style, call this origin, and nothing else. No
 * inline script, no framing, forms post only here.
 */
const PAGE_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  // Not `no-referrer`: that makes the browser send `Origin: null` with the sign-in form's POST.
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
}

// One auth object per isolate (per env object): its memory serves most requests without touching KV.
const tools = new WeakMap<Env, Tool>()

function toolFor(env: Env): Tool | string {
  const cached = tools.get(env)
  if (cached) return cached
  const secrets = sessionSecrets(env)
  if (typeof secrets === 'string') return `${secrets} is not set`
  const credentials = parseCredentials(env)
  const auth = createAuth({
    credentials,
    store: kvStore(env.TOKENS, { credentials }),
    coordinator: durableObjectCoordinator(env.TOKEN_LOCK),
  })
  const authorize = async (request: Request) =>
    (await sessionUser(secrets, request)) !== undefined || (await isTeamKey(secrets, request.headers.get('x-app-key')))
  const tool = { secrets, proxy: createCamundaProxy({ auth, authorize, apis: ['zeebe'] }) }
  tools.set(env, tool)
  return tool
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url)
    if (request.method === 'GET' && PAGE_FILES.has(url.pathname)) return page(await env.ASSETS.fetch(request))
    if (request.method === 'GET' && url.pathname === '/favicon.ico') return new Response(null, { status: 204 })

    let tool: Tool | string
    try {
      tool = toolFor(env)
    } catch (error) {
      // A CredentialsError names the variables that are wrong, never their values.
      console.error(error instanceof Error ? error.message : error)
      tool = 'the credential bundle is not valid'
    }
    if (typeof tool === 'string') {
      console.error(`internal tool misconfigured: ${tool}`)
      return Response.json({ error: 'server_error', error_description: 'the Worker is misconfigured; see its logs' }, { status: 500 })
    }

    if (url.pathname === '/zeebe' || url.pathname.startsWith('/zeebe/')) return tool.proxy(request)
    if (url.pathname === '/session' && request.method === 'GET') {
      const user = await sessionUser(tool.secrets, request)
      return user ? json({ user }) : json({ error: 'not signed in' }, 401)
    }
    if (url.pathname === '/session' && request.method === 'POST') return signIn(tool.secrets, request, url)
    if (url.pathname === '/session/end' && request.method === 'POST') {
      if (!fromThisOrigin(request)) return json({ error: 'requests from other sites are refused' }, 403)
      return redirect('/', endedSessionCookie(url))
    }
    return json({ error: 'not_found', error_description: `nothing at ${request.method} ${url.pathname}` }, 404)
  },
}

/** `POST /session`: checks the team key and sets the session cookie, then back to the page. */
async function signIn(secrets: SessionSecrets, request: Request, url: URL): Promise<Response> {
  // A page of another site must not sign the browser in to an account it chose (login CSRF).
  if (!fromThisOrigin(request)) return json({ error: 'requests from other sites are refused' }, 403)
  const form = await request.formData().catch(() => undefined)
  const user = userName(form?.get('user') ?? null)
  const key = form?.get('key')
  if (!user || typeof key !== 'string' || !(await isTeamKey(secrets, key))) return redirect('/?signin=failed')
  return redirect('/', await sessionCookie(secrets, user, url))
}

/** A browser request made by a page of this origin (or a client that sends neither header). */
function fromThisOrigin(request: Request): boolean {
  const origin = request.headers.get('origin')
  if (origin !== null) return origin === new URL(request.url).origin
  const site = request.headers.get('sec-fetch-site')
  return site === null || site === 'same-origin' || site === 'none'
}

/** A static file of the page, with the page's security headers. */
function page(asset: Response): Response {
  const response = new Response(asset.body, asset)
  for (const [name, value] of Object.entries(PAGE_HEADERS)) response.headers.set(name, value)
  return response
}

function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } })
}

function redirect(location: string, cookie?: string): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store' })
  if (cookie) headers.set('set-cookie', cookie)
  return new Response(null, { status: 303, headers })
}
