/**
 * The user-task inbox (examples/internal-tool) end to end, as a team uses it: real Chromium, the
 * Worker in workerd (wrangler's dev server, with KV, the Durable Object and the assets), the dev
 * server's small cluster behind it. Four tabs share the Worker's one token; completing a task in
 * one tab shows in the others; nothing the page can see holds the client secret or a token; and
 * the proxy refuses a cross-site POST, a request without the key, and paths outside the API.
 */
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createLocalJWKSet, jwtVerify } from 'jose'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signIn } from '../../examples/internal-tool/sign-in.ts'
import { DEV_APP_KEY, startInternalTool, type InternalTool } from '../../examples/internal-tool/start.ts'
import { chromiumStatus, launchChromium } from '../chromium/harness.ts'
import { leakedRunAt, secretRuns } from '../helpers/secret-forms.ts'

const SECRET = `inbox-sentinel-secret-${crypto.randomUUID()}`
const CLIENT = { clientId: 'inbox-e2e', clientSecret: SECRET }
const RUNS = secretRuns([{ value: SECRET, id: CLIENT.clientId }])
/** Anything shaped like a JWT (every token the dev server issues is one), or a bearer header. */
const TOKEN_SHAPE = /eyJ[\w-]+\.[\w-]+\.[\w-]*|bearer\s+\S{8,}/i

/** Opens the inbox in a tab of a signed-in context; resolves once its tasks are listed. */
async function openInbox(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.waitForSelector('body[data-ready="inbox"]')
}

/** The status of a POST to `path` exactly as written (fetch would normalise it), with the team key. */
function rawStatus(base: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base)
    const req = httpRequest(
      { hostname, port, path, method: 'POST', headers: { 'x-app-key': DEV_APP_KEY, 'content-type': 'application/json' } },
      (res) => {
        res.resume()
        resolve(res.statusCode!)
      },
    )
    req.on('error', reject)
    req.end('{}')
  })
}

const listedTasks = (page: Page) => page.$$eval('#tasks tr', (rows) => rows.map((row) => (row as HTMLElement).dataset.key!))

describe.skipIf(chromiumStatus.skip)(
  `the internal tool in real Chromium, through workerd${chromiumStatus.skip ? ` (skipped: ${chromiumStatus.reason})` : ''}`,
  { timeout: 60_000 },
  () => {
    let browser: Browser
    let tool: InternalTool
    let context: BrowserContext
    let tabs: Page[]
    /** Every response any tab of the signed-in context received, with its body, and every request's headers. */
    const received: { url: string; status: number; body: string }[] = []
    const sentAuthorization: string[] = []

    beforeAll(async () => {
      ;[browser, tool] = await Promise.all([launchChromium(), startInternalTool({ port: 0, client: CLIENT })])
      context = await browser.newContext()
      context.on('request', (request) => {
        const header = request.headers().authorization
        if (header !== undefined) sentAuthorization.push(header)
      })
      context.on('response', async (response) => {
        const body = await response.text().catch(() => '')
        received.push({ url: response.url(), status: response.status(), body })
      })
      // Signed in before any tab opens (the form itself is driven in the tests below), so the
      // four tabs reach the cold Worker at the same moment.
      const signedIn = await context.request.post(`${tool.url}session`, {
        form: { user: 'demo', key: DEV_APP_KEY },
        headers: { origin: new URL(tool.url).origin },
        maxRedirects: 0,
      })
      expect(signedIn.status()).toBe(303)
      tabs = await Promise.all([0, 1, 2, 3].map(() => context.newPage()))
    }, 45_000)

    afterAll(async () => {
      await browser?.close()
      await tool?.close()
    })

    it('4 tabs open the tool at once and see the same tasks; the Worker sent 1 token request per audience', async () => {
      expect(tool.dev.server.requests()).toBe(0)
      await Promise.all(tabs.map((tab) => openInbox(tab, tool.url)))
      const seen = await Promise.all(tabs.map(listedTasks))
      const open = tool.dev.server.cluster
        .userTasks()
        .filter((task) => task.state === 'CREATED')
        .map((task) => task.userTaskKey)
      for (const keys of seen) expect(keys).toEqual(open)
      expect(open).toHaveLength(6)
      expect(await tabs[3]!.textContent('#instances')).toContain(tool.dev.server.cluster.processInstances()[0]!.processInstanceKey)

      expect(tool.dev.server.requests({ audience: 'zeebe.camunda.io' })).toBe(1)
      for (const audience of ['operate.camunda.io', 'tasklist.camunda.io', 'optimize.camunda.io']) {
        expect(tool.dev.server.requests({ audience }), audience).toBe(0)
      }
      // Every tab listed tasks and instances: 8 API calls, all with the one token.
      expect(tool.dev.server.apiRequests('zeebe')).toBeGreaterThanOrEqual(8)
      expect(new Set(tool.dev.server.apiRequestLog.map((entry) => entry.status))).toEqual(new Set([200]))
    })

    it('completing a task in one tab removes it from the list, and a reload of the others no longer shows it', async () => {
      const [first, ...others] = tabs as [Page, ...Page[]]
      // As a person does: the tab in use is in front (a background tab's animation frames, which
      // clicks wait for, are throttled).
      await first.bringToFront()
      const target = (await listedTasks(first))[1]!
      await first.fill('#variables .row:nth-child(1) input[name="name"]', 'approved')
      await first.fill('#variables .row:nth-child(1) input[name="value"]', 'true')
      await first.fill('#variables .row:nth-child(2) input[name="name"]', 'comment')
      await first.fill('#variables .row:nth-child(2) input[name="value"]', 'Looks right')
      await first.click(`#tasks tr[data-key="${target}"] button[data-action="complete"]`)
      await first.waitForSelector(`#tasks tr[data-key="${target}"]`, { state: 'detached' })
      expect(await first.textContent('#status')).toBe('Completed.')
      expect(tool.dev.server.cluster.variables(target)).toEqual({ approved: true, comment: 'Looks right' })

      for (const tab of others) {
        await tab.bringToFront()
        expect(await listedTasks(tab)).toContain(target) // not yet reloaded
        await tab.reload()
        await tab.waitForSelector('body[data-ready="inbox"]')
        expect(await listedTasks(tab)).not.toContain(target)
      }
      // An empty form completes too: the button finds every listed task, whatever the form holds.
      await first.bringToFront()
      await first.fill('#variables .row:nth-child(1) input[name="name"]', '')
      await first.fill('#variables .row:nth-child(2) input[name="name"]', '')
      const next = (await listedTasks(first))[0]!
      await first.click(`#tasks tr[data-key="${next}"] button[data-action="complete"]`)
      await first.waitForSelector(`#tasks tr[data-key="${next}"]`, { state: 'detached' })
      expect(tool.dev.server.cluster.variables(next)).toEqual({})

      // Assigning: to me, and refused (409) for the task someone else holds.
      const held = tool.dev.server.cluster.userTasks().find((task) => task.assignee === 'lena')!.userTaskKey
      const mine = (await listedTasks(first)).find((key) => key !== held)!
      await first.click(`#tasks tr[data-key="${mine}"] button[data-action="assign"]`)
      await first.waitForFunction((key) => document.querySelector(`#tasks tr[data-key="${key}"] .me`) !== null, mine, { polling: 20 })
      await first.click(`#tasks tr[data-key="${held}"] button[data-action="assign"]`)
      await first.waitForFunction(() => document.getElementById('status')?.classList.contains('error'), undefined, { polling: 20 })
      expect(await first.textContent('#status')).toContain('Someone else holds this task')
      expect(tool.dev.server.cluster.userTasks().find((task) => task.userTaskKey === held)!.assignee).toBe('lena')

      expect(tool.dev.server.requests()).toBe(1)
    })

    it('no page-visible place holds the client secret or a bearer token', async () => {
      const keys = await (await fetch(`${tool.dev.url}/.well-known/jwks.json`)).json()
      const issuedByCamunda = async (text: string) =>
        jwtVerify(text, createLocalJWKSet(keys)).then(
          () => true,
          () => false,
        )
      const places: [string, string][] = []
      for (const [i, tab] of tabs.entries()) {
        places.push([`tab ${i} HTML`, await tab.content()])
        const storage = await tab.evaluate(async () => {
          const databases = await indexedDB.databases()
          return {
            localStorage: JSON.stringify({ ...localStorage }),
            sessionStorage: JSON.stringify({ ...sessionStorage }),
            indexedDB: JSON.stringify(databases),
            cookie: document.cookie,
            globals: JSON.stringify(Object.keys(window).filter((name) => /token|secret|auth/i.test(name))),
          }
        })
        for (const [where, text] of Object.entries(storage)) places.push([`tab ${i} ${where}`, text])
        expect(storage.cookie, 'document.cookie').toBe('')
        expect(JSON.parse(storage.indexedDB), 'IndexedDB databases').toEqual([])
      }
      expect(received.length).toBeGreaterThan(20)
      expect(received.some((r) => r.url.endsWith('/app.js') && r.body.includes('/v2/user-tasks/search'))).toBe(true)
      for (const response of received) places.push([`response ${response.status} ${response.url}`, response.body])

      for (const [where, text] of places) {
        expect(leakedRunAt(text, RUNS), `the client secret in ${where}`).toBe(-1)
        expect(text, `a token in ${where}`).not.toMatch(TOKEN_SHAPE)
      }
      expect(sentAuthorization, 'Authorization headers the page sent').toEqual([])

      // The session cookie is the one credential the browser holds: HttpOnly, SameSite=Strict,
      // and not a Camunda token.
      const cookies = await context.cookies()
      expect(cookies.map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([['tool_session', true, 'Strict']])
      expect(await issuedByCamunda(cookies[0]!.value)).toBe(false)
      expect(leakedRunAt(cookies[0]!.value, RUNS)).toBe(-1)
    })

    describe('refused requests', () => {
      let attacker: Server
      let attackerOrigin = ''
      beforeAll(async () => {
        // Another site: `localhost` is a different site from `127.0.0.1`, whatever the port.
        attacker = createServer((request, response) => {
          const [, key] = /key=(\d+)/.exec(request.url ?? '') ?? []
          const action = `${tool.url}zeebe/v2/user-tasks/${key}/completion`
          response.setHeader('content-type', 'text/html')
          response.end(
            `<!doctype html><form id="f" method="post" action="${action}"><input name="variables" value="{}"></form>` +
              `<script>fetch(${JSON.stringify(action)}, { method: 'POST', mode: 'no-cors', credentials: 'include', body: '{}' }).finally(() => document.getElementById('f').submit())</script>`,
          )
        })
        await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve))
        attackerOrigin = `http://localhost:${(attacker.address() as AddressInfo).port}`
      })
      afterAll(() => new Promise<void>((resolve) => attacker.close(() => resolve())))

      it('a cross-site POST to the proxy (a form and a no-cors fetch, from a signed-in browser) is refused', async () => {
        const key = (await listedTasks(tabs[0]!))[0]!
        const before = tool.dev.server.apiRequests()
        const statuses: number[] = []
        const page = await context.newPage()
        page.on('response', (response) => {
          if (response.url().includes('/completion')) statuses.push(response.status())
        })
        await page.goto(`${attackerOrigin}/?key=${key}`)
        await page.waitForURL(/\/completion$/)
        expect(JSON.parse((await page.textContent('body'))!)).toEqual({
          error: 'access_denied',
          error_description: 'requests from other sites are not forwarded',
        })
        expect(statuses).toEqual([403, 403])
        await page.close()
        expect(tool.dev.server.cluster.userTasks().find((task) => task.userTaskKey === key)!.state).toBe('CREATED')
        expect(tool.dev.server.apiRequests()).toBe(before)

        // Even with the session cookie attached (a browser would not send it cross-site), another
        // Origin is refused before the session is looked at.
        const cookie = (await context.cookies())[0]!
        const forged = await fetch(`${tool.url}zeebe/v2/user-tasks/${key}/completion`, {
          method: 'POST',
          headers: { cookie: `${cookie.name}=${cookie.value}`, origin: attackerOrigin, 'content-type': 'application/json' },
          body: '{}',
        })
        expect(forged.status).toBe(403)
        expect(await forged.json()).toMatchObject({ error_description: 'requests from other sites are not forwarded' })
        expect(tool.dev.server.apiRequests()).toBe(before)
      })

      it('a request without the example key or session is refused, and so is a wrong key; the right key signs in', async () => {
        const before = tool.dev.server.apiRequests()
        const stranger = await browser.newContext()
        try {
          const page = await stranger.newPage()
          await page.goto(tool.url)
          await page.waitForSelector('body[data-ready="signin"]')
          expect(await page.isVisible('#inbox')).toBe(false)
          const status = await page.evaluate(async () => {
            const response = await fetch('/zeebe/v2/user-tasks/search', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: '{}',
            })
            return response.status
          })
          expect(status).toBe(403)

          await signIn(page, tool.url, 'mallory', 'not-the-team-key')
          expect(page.url()).toContain('signin=failed')
          expect(await page.isVisible('#signin-failed')).toBe(true)
          expect(await stranger.cookies()).toEqual([])
          expect(tool.dev.server.apiRequests()).toBe(before)

          // The right key, through the same form, opens the inbox.
          await signIn(page, tool.url, 'erin')
          expect(await page.getAttribute('body', 'data-ready')).toBe('inbox')
          expect(await page.textContent('#user')).toBe('erin')
          expect(await stranger.cookies()).toMatchObject([{ name: 'tool_session', httpOnly: true, sameSite: 'Strict' }])
        } finally {
          await stranger.close()
        }
        const strangers: Record<string, string>[] = [
          {},
          { 'x-app-key': 'not-the-team-key' },
          { cookie: 'tool_session=eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5In0.' },
        ]
        const afterSignIn = tool.dev.server.apiRequests()
        for (const headers of strangers) {
          const response = await fetch(`${tool.url}zeebe/v2/user-tasks/search`, { method: 'POST', headers, body: '{}' })
          expect(response.status, JSON.stringify(headers)).toBe(403)
        }
        expect(tool.dev.server.apiRequests()).toBe(afterSignIn)
        // The key itself, as a script sends it, is let through.
        const script = await fetch(`${tool.url}zeebe/v2/user-tasks/search`, {
          method: 'POST',
          headers: { 'x-app-key': DEV_APP_KEY },
          body: '{}',
        })
        expect(script.status).toBe(200)
      })

      it('a request for a path outside the APIs is refused, and never reaches the dev server', async () => {
        const before = { api: tool.dev.server.apiRequests(), tokens: tool.dev.server.requests() }
        // From the signed-in page: other APIs, the token endpoint, and paths the browser itself
        // normalises (`%2e%2e` is `..` to it) all end outside /zeebe/.
        const fromPage = await tabs[0]!.evaluate(async () => {
          const paths = ['/operate/v1/process-instances/search', '/tasklist/v1/tasks/search', '/oauth/token', '/zeebe/%2e%2e/oauth/token']
          return Promise.all(
            paths.map(async (path) => {
              const response = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
              return [path, response.status] as const
            }),
          )
        })
        expect(Object.fromEntries(fromPage)).toEqual({
          '/operate/v1/process-instances/search': 404,
          '/tasklist/v1/tasks/search': 404,
          '/oauth/token': 404,
          '/zeebe/%2e%2e/oauth/token': 404,
        })
        // Sent as written, with the key: workerd's URL parser resolves `%2e%2e` (so the path leaves
        // /zeebe/ and finds nothing), and the proxy's path rules refuse the rest.
        const raw: Record<string, number> = {}
        for (const path of [
          '/zeebe/%2e%2e/oauth/token',
          '/zeebe/v2/..%2f..%2foauth/token',
          '/zeebe/v2/%5c..%5coauth/token',
          '/zeebe//v2/topology',
        ]) {
          raw[path] = await rawStatus(tool.url, path)
        }
        expect(raw).toEqual({
          '/zeebe/%2e%2e/oauth/token': 404,
          '/zeebe/v2/..%2f..%2foauth/token': 400,
          '/zeebe/v2/%5c..%5coauth/token': 400,
          '/zeebe//v2/topology': 400,
        })
        expect(tool.dev.server.apiRequests()).toBe(before.api)
        expect(tool.dev.server.requests()).toBe(before.tokens)
      })
    })
  },
)
