/**
 * camunda-edge-auth/browser in real Chromium: many tabs of one origin share one token request,
 * IndexedDB holds only sealed records, a closed lock holder hands over, a 429 holds every tab back,
 * and a tab without IndexedDB still works. Request counts come from the dev server itself.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  chromiumStatus,
  eventsOf,
  getToken,
  getTokenTogether,
  launchChromium,
  loadTab,
  openTabs,
  startTabServer,
  until,
  type TabServer,
  type TokenOutcome,
} from '../chromium/harness.ts'

const TABS = 8

// Generous per-test timeouts: 8 real tabs open in about 2 s alone, longer on a busy 2-core runner.
describe.skipIf(chromiumStatus.skip)(
  `camunda-edge-auth/browser in real Chromium${chromiumStatus.skip ? ` (skipped: ${chromiumStatus.reason})` : ''}`,
  { timeout: 60_000 },
  () => {
    let browser: Browser
    let server: TabServer
    let context: BrowserContext

    beforeAll(async () => {
      ;[browser, server] = await Promise.all([launchChromium(), startTabServer({ tokenLifetimeSeconds: 300 })])
    }, 30_000)
    afterAll(async () => {
      await browser?.close()
      await server?.close()
    })
    beforeEach(async () => {
      server.dev.reset()
      // A fresh context per test: empty IndexedDB, no locks, no channels left from the test before.
      context = await browser.newContext()
    })
    afterEach(async () => {
      await context.close()
    })

    const tokensOf = (outcomes: TokenOutcome[]) => outcomes.map((o) => (o.ok ? o.token : `error ${o.code}`))

    it('8 tabs cold-start at the same moment with one token request, and all get the same token', async () => {
      const pages = await openTabs(context, server.url, TABS)
      const outcomes = await getTokenTogether(pages)

      expect(outcomes.every((o) => o.ok)).toBe(true)
      expect(new Set(tokensOf(outcomes)).size).toBe(1)
      expect(server.dev.requests()).toBe(1)
      const requested = await Promise.all(
        pages.map(async (page) => (await eventsOf(page)).filter((e) => e.type === 'token_requested').length),
      )
      expect(requested.reduce((a, b) => a + b)).toBe(1)
    })

    it("createAuth's default coordinator in a browser is Web Locks: 8 tabs given none send one token request", async () => {
      const pages = await openTabs(context, server.url, TABS, { coordinator: 'default' })
      const outcomes = await getTokenTogether(pages)

      expect(outcomes.every((o) => o.ok)).toBe(true)
      expect(new Set(tokensOf(outcomes)).size).toBe(1)
      expect(server.dev.requests()).toBe(1)
    })

    it('every tab reloaded gets its token from IndexedDB with no new request', async () => {
      const pages = await openTabs(context, server.url, TABS)
      const first = await getTokenTogether(pages)
      expect(server.dev.requests()).toBe(1)

      await Promise.all(pages.map((page) => loadTab(page, server.url)))
      const again = await getTokenTogether(pages)

      expect(server.dev.requests()).toBe(1)
      expect(tokensOf(again)).toEqual(tokensOf(first))
      for (const page of pages) {
        const events = await eventsOf(page)
        expect(events.filter((e) => e.type === 'token_requested')).toEqual([])
        // Memory is empty after a reload and no peer published: the token came from the store.
        expect(events).toContainEqual({ type: 'cache_hit', api: 'zeebe', source: 'store' })
      }
    })

    it('when the tab holding the lock closes mid-request, another tab takes the lock and gets a token', async () => {
      const timeoutMs = 5_000
      const lockTimeoutMs = 8_000
      const pages = await openTabs(context, server.url, TABS, { timeoutMs, lockTimeoutMs })
      const [holder, ...others] = pages as [Page, ...Page[]]
      server.dev.inject({ delayMs: 60_000 }) // the holder's request hangs until its tab goes away

      void getToken(holder).catch(() => undefined) // never settles: the page closes under it
      await until(() => server.dev.requests() === 1, 5_000, 'the holder to send its request')
      const settledAt: number[] = []
      const waiting = others.map((page) => getToken(page).then((o) => (settledAt.push(Date.now()), o)))
      await until(
        async () => (await others[0]!.evaluate(async () => (await navigator.locks.query()).pending?.length ?? 0)) === others.length,
        5_000,
        'the other tabs to queue on the lock',
      )
      expect(settledAt).toEqual([]) // nobody got a token while the holder held the lock

      const closedAt = Date.now()
      await holder.close()
      const outcomes = await Promise.all(waiting)
      const firstMs = Math.min(...settledAt) - closedAt
      const lastMs = Math.max(...settledAt) - closedAt
      console.info(`[browser] lock holder closed: first tab had a token after ${firstMs} ms, the last after ${lastMs} ms`)

      expect(outcomes.every((o) => o.ok)).toBe(true)
      expect(new Set(tokensOf(outcomes)).size).toBe(1)
      expect(server.dev.requests()).toBe(2) // the abandoned one and its replacement
      // A correctness bound, not a speed claim: the handover happened before a lock wait plus a
      // request could have run out, and no tab had to give up on the lock.
      expect(lastMs).toBeLessThan(lockTimeoutMs + timeoutMs)
      for (const page of others) expect((await eventsOf(page)).filter((e) => e.type === 'coordinator_error')).toEqual([])
    })

    it('after a 429 with Retry-After no tab sends a request until it has passed, then one request serves all', async () => {
      const pages = await openTabs(context, server.url, TABS)
      // 3 s: long enough that 8 tabs are surely asked within it, even on a slow runner.
      server.dev.inject({ status: 429, headers: { 'retry-after': '3' } })

      const refused = await getToken(pages[0]!)
      expect(refused).toMatchObject({ ok: false, code: 'ERR_RATE_LIMITED' })
      const retryAt = (refused as { retryAt?: number }).retryAt!
      expect(retryAt).toBeGreaterThan(Date.now())
      expect(server.dev.requests()).toBe(1)

      const held = await getTokenTogether(pages)
      expect(Date.now()).toBeLessThan(retryAt) // still within the cooldown
      expect(held.map((o) => (o.ok ? 'token' : o.code))).toEqual(Array(TABS).fill('ERR_RATE_LIMITED'))
      expect(server.dev.requests()).toBe(1)
      console.info(`[browser] 429 cooldown: held-back calls took ${held.map((o) => o.ms.toFixed(1)).join(', ')} ms`)

      await until(() => Date.now() > retryAt + 20, 5_000, 'Retry-After to pass')
      const after = await getTokenTogether(pages)
      expect(after.every((o) => o.ok)).toBe(true)
      expect(new Set(tokensOf(after)).size).toBe(1)
      expect(server.dev.requests()).toBe(2)
    })

    it('IndexedDB holds neither the client secret nor the token in plaintext', async () => {
      const [page] = await openTabs(context, server.url, 1)
      const outcome = await getToken(page!)
      if (!outcome.ok) throw new Error(`no token: ${outcome.code}`)
      const token = outcome.token
      const [header, payload, signature] = token.split('.')

      const databases = await page!.evaluate(() => window.tab.readIndexedDB())
      const dump = JSON.stringify(databases)
      const values = databases.flatMap((db) => db.stores.flatMap((store) => store.values))
      expect(values.length).toBeGreaterThan(0) // something was stored, so the check below means something

      expect(dump).not.toContain('dev-secret')
      expect(dump).not.toContain(token)
      expect(dump).not.toContain(payload)
      expect(dump).not.toContain(signature)
      expect(header!.length).toBeGreaterThan(0)
      // The sealing key is kept next to the records, as a CryptoKey no script can read out.
      const keys = [...dump.matchAll(/"cryptoKey":\{[^}]*"extractable":(true|false)/g)].map((m) => m[1])
      expect(keys.length).toBeGreaterThan(0)
      expect(keys).not.toContain('true')
    })

    it('a day-long cooldown forged into IndexedDB in clear does not silence a new tab: it is ignored and replaced', async () => {
      const [first] = await openTabs(context, server.url, 1)
      expect(await getToken(first!)).toMatchObject({ ok: true })
      expect(await first!.evaluate(() => window.tab.forgeCooldowns())).toBe(1)
      const [fresh] = await openTabs(context, server.url, 1)
      const outcome = await getToken(fresh!)
      expect(outcome).toMatchObject({ ok: true })
      expect(server.dev.requests()).toBe(2) // the forgery replaced the stored token, so one new request
      const events = await eventsOf(fresh!)
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'store_error', message: expect.stringMatching(/did not authenticate/) }),
      )
      expect(JSON.stringify(await fresh!.evaluate(() => window.tab.readIndexedDB()))).not.toContain('evil.example')
    })

    it.each([
      [
        'indexedDB.open throws',
        () => {
          IDBFactory.prototype.open = () => {
            throw new DOMException('IndexedDB is disabled by this test', 'InvalidStateError')
          }
        },
      ],
      [
        'indexedDB.open fails with an error event',
        () => {
          const open = IDBFactory.prototype.open
          // Opening an existing database at a lower version fails asynchronously with a VersionError.
          IDBFactory.prototype.open = function (this: IDBFactory) {
            return open.call(this, '__broken__', 1)
          }
          const setup = open.call(indexedDB, '__broken__', 2)
          setup.onsuccess = () => setup.result.close()
        },
      ],
      [
        'indexedDB is missing',
        () => {
          Object.defineProperty(window, 'indexedDB', { get: () => undefined, configurable: true })
        },
      ],
    ])('a tab whose IndexedDB is broken (%s) still gets tokens and reports store_degraded', async (_name, breakIndexedDB) => {
      const page = await context.newPage()
      await page.addInitScript(breakIndexedDB)
      await loadTab(page, server.url)

      const first = await getToken(page)
      const second = await getToken(page)

      expect(first).toMatchObject({ ok: true })
      expect(second).toMatchObject({ ok: true, token: (first as { token: string }).token })
      expect(server.dev.requests()).toBe(1)
      const events = await eventsOf(page)
      expect(events).toContainEqual(expect.objectContaining({ type: 'store_degraded', fallback: 'memory' }))
    })
  },
)
