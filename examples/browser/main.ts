/**
 * The browser example: a small internal tool page. It gets its credential bundle from the server
 * that serves it (`/config.json`), creates one auth object with the browser defaults (tokens sealed
 * in IndexedDB, one refresh across tabs through Web Locks), and shows the cluster's URLs, where the
 * current token came from, and the result of an API call made with `auth.fetch`.
 *
 * Build: `npx rollup -c examples/browser/rollup.config.mjs`; run: `npm run example:browser`.
 */
import { createAuth, parseCredentials, type Auth, type AuthEvent } from 'camunda-edge-auth'
import { indexedDBStore, webLocksCoordinator } from 'camunda-edge-auth/browser'

const byId = (id: string): HTMLElement => {
  const element = document.getElementById(id)
  if (!element) throw new Error(`#${id} is missing from index.html`)
  return element
}

/** Where this tab's current token came from, in words, from the events that delivered it. */
const ORIGINS: Partial<Record<string, string>> = {
  requested: 'fetched by this tab (it held the lock and sent the token request)',
  store: 'fetched by another tab earlier: read from IndexedDB',
  peer: 'fetched by another tab just now: received over BroadcastChannel',
  memory: "this tab's memory",
}

const recent: string[] = []
let origin: string | undefined

function onEvent(event: AuthEvent): void {
  if (event.type === 'token_requested') origin = 'requested'
  else if (event.type === 'cache_hit' && event.source !== 'memory') origin = event.source
  const { type, ...details } = event
  recent.unshift(`${new Date().toLocaleTimeString()}  ${type}  ${JSON.stringify(details)}`)
  recent.length = Math.min(recent.length, 12)
  byId('events').textContent = recent.join('\n')
}

function showUrls(auth: Auth): void {
  const examples: [string, () => string][] = [
    ['zeebe', () => auth.urls.zeebe('/v2/topology')],
    ['operate', () => auth.urls.operate('/v1/process-instances/search')],
    ['tasklist', () => auth.urls.tasklist('/v1/tasks/search')],
    ['optimize', () => auth.urls.optimize('/api/public/dashboard')],
  ]
  const list = byId('urls')
  for (const [api, url] of examples) {
    const dt = document.createElement('dt')
    dt.textContent = api
    const dd = document.createElement('dd')
    try {
      dd.textContent = url()
    } catch (error) {
      dd.textContent = (error as Error).message // a bundle without that API names the variable to set
      dd.className = 'error'
    }
    list.append(dt, dd)
  }
}

async function showToken(auth: Auth): Promise<void> {
  try {
    const record = await auth.getTokenRecord('zeebe')
    byId('token-state').textContent = `valid (${record.accessToken.length} characters; not shown)`
    byId('token-source').textContent = ORIGINS[origin ?? 'memory'] ?? origin ?? '—'
    byId('token-expiry').textContent =
      `${new Date(record.expiresAt).toLocaleTimeString()} (in ${Math.round((record.expiresAt - Date.now()) / 1000)} s)`
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string }
    byId('token-state').textContent = `${code ?? 'error'}: ${message ?? String(error)}`
    byId('token-state').className = 'error'
  }
  await showRequestCount()
}

/** The dev server's own count of token requests; absent when the page is served by anything else. */
async function showRequestCount(): Promise<void> {
  const response = await fetch('/dev/stats.json').catch(() => undefined)
  if (!response?.ok) return
  const { tokenRequests } = (await response.json()) as { tokenRequests: number }
  byId('token-requests').textContent = String(tokenRequests)
}

async function callTopology(auth: Auth): Promise<void> {
  const result = byId('topology-result')
  result.textContent = 'calling…'
  try {
    const response = await auth.fetch('zeebe', '/v2/topology')
    result.textContent = `${response.status} ${response.statusText}\n${JSON.stringify(await response.json(), null, 2)}`
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string }
    result.textContent = `${code ?? 'error'}: ${message ?? String(error)}`
  }
  await showToken(auth)
}

async function main(): Promise<void> {
  // The bundle comes from the server, never from this file: in this example it is the dev server's.
  const config = (await (await fetch('/config.json')).json()) as Record<string, string>
  const auth = createAuth({
    credentials: parseCredentials(config),
    store: indexedDBStore(),
    coordinator: webLocksCoordinator(),
    onEvent,
  })
  showUrls(auth)
  const button = byId('topology-button') as HTMLButtonElement
  button.addEventListener('click', () => void callTopology(auth))
  button.disabled = false
  await showToken(auth)
  document.body.dataset.ready = 'true'
}

main().catch((error: unknown) => {
  byId('token-state').textContent = `could not start: ${(error as Error).message}`
  byId('token-state').className = 'error'
})
