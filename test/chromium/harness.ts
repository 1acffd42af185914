/**
 * Real Chromium, many tabs, one loopback origin. Shared by the browser tests and the W4 bench.
 *
 * One Node HTTP server (the dev server's own loopback listener) answers everything on
 * `http://127.0.0.1:<port>`, a secure context where Web Locks and IndexedDB work: the test page,
 * its script (test/chromium/page-entry.ts, or another page script such as the behaviour suite's,
 * bundled once per process with esbuild), `/config.json`
 * (the dev credentials for this origin), and the dev auth server's token endpoint and fake API
 * routes. Same origin, so no CORS, and tabs of one browser context share IndexedDB, locks and
 * BroadcastChannel exactly as an app's tabs do.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { createDevAuthServer, devCredentials, type DevAuthServer, type DevAuthServerOptions } from '../../src/dev-server.ts'
import { listenDevAuthServer } from '../../src/dev-server-node.ts'
import type { TabInit, TokenOutcome } from './page-entry.ts'

export type { TabInit, TokenOutcome }

/**
 * Where Chromium is looked for: `CHROMIUM_PATH`, else the Debian package's `/usr/bin/chromium`.
 *
 * @example
 * ```ts
 * console.info(`browser tests use ${CHROMIUM_PATH}`)
 * ```
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

const INSTALL_HINT = `Chromium not found at ${CHROMIUM_PATH}. Install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH); no browser is ever downloaded.`

/**
 * Whether the browser tests can run here. Missing Chromium skips them loudly on a developer
 * machine; with `CI=true` they run anyway and fail in `launchChromium` with the install hint, so a
 * CI image without Chromium can never pass by skipping.
 *
 * @example
 * ```ts
 * describe.skipIf(chromiumStatus.skip)('in Chromium', () => { … })
 * ```
 */
export const chromiumStatus: { readonly skip: boolean; readonly reason: string } = (() => {
  if (existsSync(CHROMIUM_PATH)) return { skip: false, reason: '' }
  if (process.env.CI === 'true') return { skip: false, reason: INSTALL_HINT }
  console.warn(`\n*** SKIPPING real-Chromium tests: ${INSTALL_HINT} ***\n`)
  return { skip: true, reason: INSTALL_HINT }
})()

/**
 * Launches the system Chromium headless, with nothing that phones home. Never downloads one.
 *
 * @example
 * ```ts
 * const browser = await launchChromium()
 * const context = await browser.newContext() // its pages share IndexedDB, locks and channels
 * ```
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(INSTALL_HINT)
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}

/**
 * The script of a test tab (`window.tab`, see page-entry.ts): what {@link startTabServer} serves
 * unless given another.
 *
 * @example
 * ```ts
 * await startTabServer({ script: TAB_SCRIPT })
 * ```
 */
export const TAB_SCRIPT = new URL('./page-entry.ts', import.meta.url)

const bundled = new Map<string, Promise<string>>()

/**
 * A page script, bundled once per process (jose and zod included; about a tenth of a second).
 *
 * @example
 * ```ts
 * const script = await pageScript(TAB_SCRIPT) // served as /page.js
 * ```
 */
export function pageScript(entry: URL = TAB_SCRIPT): Promise<string> {
  let script = bundled.get(entry.href)
  if (!script) {
    script = build({
      entryPoints: [fileURLToPath(entry)],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    }).then((result) => result.outputFiles[0]!.text)
    bundled.set(entry.href, script)
  }
  return script
}

const PAGE = '<!doctype html><meta charset="utf-8"><title>tab</title><script type="module" src="/page.js"></script>'

/**
 * Options of {@link startTabServer}: the dev server's, plus an added latency and the page script.
 *
 * @example
 * ```ts
 * await startTabServer({ tokenLifetimeSeconds: 300, latencyMs: 20 })
 * ```
 */
export interface TabServerOptions extends DevAuthServerOptions {
  /** Added before every token endpoint answer: a stand-in for a network round trip. Default 0. */
  readonly latencyMs?: number
  /** The module the page runs, bundled and served as `/page.js`. Default {@link TAB_SCRIPT}. */
  readonly script?: URL
}

/**
 * A running origin: its URL, the dev server behind it (for counts and faults), and `close`.
 *
 * @example
 * ```ts
 * server.dev.inject({ delayMs: 60_000 })
 * expect(server.dev.requests()).toBe(1)
 * ```
 */
export interface TabServer {
  readonly url: string
  readonly dev: DevAuthServer
  close(): Promise<void>
}

/**
 * Serves the test page, its script, `/config.json` and the dev auth server on one loopback origin.
 * The dev server's rate limit is off unless asked for: the tests count requests exactly.
 *
 * @example
 * ```ts
 * const server = await startTabServer({ tokenLifetimeSeconds: 300 })
 * await page.goto(server.url)
 * ```
 */
export async function startTabServer(options: TabServerOptions = {}): Promise<TabServer> {
  const { latencyMs = 0, script: entry, ...devOptions } = options
  const dev = createDevAuthServer({ rateLimit: false, ...devOptions })
  const script = await pageScript(entry)
  let origin = ''
  const html = (body: string, type: string) => new Response(body, { headers: { 'content-type': type, 'cache-control': 'no-store' } })
  // The loopback listener accepts any object shaped like a dev server; this one answers the page's
  // own routes first and hands the rest to the dev server.
  const site: DevAuthServer = {
    ...dev,
    fetch: async (input, init) => {
      const request = input instanceof Request ? input : new Request(input, init)
      const { pathname } = new URL(request.url)
      if (request.method === 'GET' && pathname === '/') return html(PAGE, 'text/html; charset=utf-8')
      if (request.method === 'GET' && pathname === '/page.js') return html(script, 'text/javascript; charset=utf-8')
      if (request.method === 'GET' && pathname === '/config.json') return Response.json(devCredentials(origin))
      if (request.method === 'GET' && pathname === '/favicon.ico') return new Response(null, { status: 204 })
      if (latencyMs > 0 && pathname === dev.tokenPath) await new Promise((resolve) => setTimeout(resolve, latencyMs))
      return dev.fetch(request)
    },
  }
  const listening = await listenDevAuthServer(site)
  origin = listening.url
  return { url: `${origin}/`, dev, close: () => listening.close() }
}

/**
 * Opens `count` tabs of `url` in `context`, each with the page script loaded and `tab.init(init)` done.
 *
 * @example
 * ```ts
 * const pages = await openTabs(context, server.url, 8, { lockTimeoutMs: 8_000 })
 * ```
 */
export async function openTabs(context: BrowserContext, url: string, count: number, init: TabInit = {}): Promise<Page[]> {
  const pages = await Promise.all(Array.from({ length: count }, () => context.newPage()))
  await Promise.all(pages.map((page) => loadTab(page, url, init)))
  return pages
}

/**
 * Navigates (or reloads) one tab and runs `tab.init(init)`.
 *
 * @example
 * ```ts
 * await loadTab(page, server.url) // a reload: memory is gone, IndexedDB stays
 * ```
 */
export async function loadTab(page: Page, url: string, init: TabInit = {}): Promise<void> {
  await page.goto(url)
  await page.waitForFunction(() => typeof window.tab === 'object', undefined, { polling: 10 })
  await page.evaluate((options) => window.tab.init(options), init)
}

/**
 * Every tab calls `getToken` at the same moment: each waits on a BroadcastChannel signal, then one
 * message releases them all, so the start is not spread over the CDP round trips. `onFire` runs
 * just before that message is sent.
 *
 * @example
 * ```ts
 * const outcomes = await getTokenTogether(pages)
 * expect(new Set(outcomes.map((o) => o.ok && o.token)).size).toBe(1)
 * ```
 */
export async function getTokenTogether(pages: readonly Page[], onFire?: () => void): Promise<TokenOutcome[]> {
  const armed = pages.map((page) => page.evaluate(() => window.tab.getTokenOnSignal()))
  // evaluate() resolves its promise only when the page's promise does; make sure every tab is
  // listening before firing. A listener is registered within the evaluate's first turn, so one
  // round trip to each page after arming is enough.
  await Promise.all(pages.map((page) => page.evaluate(() => undefined)))
  // The bench's charts time requests from here.
  onFire?.()
  await pages[0]!.evaluate(() => window.tab.fire())
  return Promise.all(armed)
}

/**
 * Calls `tab.getToken()` in one tab.
 *
 * @example
 * ```ts
 * expect(await getToken(page)).toMatchObject({ ok: false, code: 'ERR_RATE_LIMITED' })
 * ```
 */
export function getToken(page: Page): Promise<TokenOutcome> {
  return page.evaluate(() => window.tab.getToken())
}

/**
 * The events one tab's auth object emitted, oldest first.
 *
 * @example
 * ```ts
 * expect(await eventsOf(page)).toContainEqual({ type: 'cache_hit', api: 'zeebe', source: 'store' })
 * ```
 */
export function eventsOf(page: Page): Promise<{ type: string; [field: string]: unknown }[]> {
  return page.evaluate(() => window.tab.events.map((event) => ({ ...event })))
}

/**
 * Polls `check` every 10 ms until it is true, or throws after `timeoutMs` naming `what`.
 *
 * @example
 * ```ts
 * await until(() => server.dev.requests() === 1, 5_000, 'the first request')
 * ```
 */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
