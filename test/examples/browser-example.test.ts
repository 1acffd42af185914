/**
 * The browser example (examples/browser) as a user runs it: `serve.ts` builds the page with rollup
 * and serves it with the dev server; real Chromium opens it, calls the API through `auth.fetch`,
 * and a second tab finds the first tab's token in IndexedDB.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumStatus, launchChromium } from '../chromium/harness.ts'

const root = new URL('../../', import.meta.url)

/** Starts `examples/browser/serve.ts` on a free port; resolves with its URL once it prints it. */
function startExample(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/browser/serve.ts'], {
    cwd: root.pathname,
    env: { ...process.env, PORT: '0', TSX_TSCONFIG_PATH: 'examples/tsconfig.json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve.ts printed no URL within 30 s:\n${output}`)), 30_000)
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /browser example: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve({ child, url: match[1]!, output: () => output })
      }
    }
    child.stdout!.on('data', read)
    child.stderr!.on('data', read)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`serve.ts exited with ${code}:\n${output}`))
    })
  })
}

describe.skipIf(chromiumStatus.skip)(
  `the browser example${chromiumStatus.skip ? ` (skipped: ${chromiumStatus.reason})` : ''}`,
  { timeout: 60_000 },
  () => {
    let browser: Browser
    let example: Awaited<ReturnType<typeof startExample>>

    beforeAll(async () => {
      ;[browser, example] = await Promise.all([launchChromium(), startExample()])
    }, 45_000)
    afterAll(async () => {
      await browser?.close()
      if (example && example.child.exitCode === null) {
        const exited = new Promise((resolve) => example.child.once('exit', resolve))
        example.child.kill('SIGTERM')
        await exited
      }
    })

    it('shows the URLs and the token state, calls the topology through auth.fetch, and a second tab reuses the token', async () => {
      const context = await browser.newContext()
      try {
        const first = await context.newPage()
        await first.goto(example.url)
        await first.waitForSelector('body[data-ready="true"]')

        expect(await first.textContent('#urls')).toContain(`${example.url}zeebe/v2/topology`)
        expect(await first.textContent('#token-state')).toMatch(/^valid/)
        expect(await first.textContent('#token-source')).toContain('fetched by this tab')
        expect(await first.textContent('#token-expiry')).toMatch(/in \d+ s/)
        expect(await first.textContent('#token-requests')).toBe('1')

        await first.click('#topology-button')
        await first.waitForFunction(() => document.getElementById('topology-result')?.textContent?.includes('gatewayVersion'), undefined, {
          polling: 20,
        })
        const topology = (await first.textContent('#topology-result'))!
        expect(topology).toMatch(/^200 /)
        expect(JSON.parse(topology.slice(topology.indexOf('\n')))).toMatchObject({ gatewayVersion: '8.8.0-dev', clusterSize: 1 })
        expect(await first.textContent('#events')).toContain('token_requested')

        const second = await context.newPage()
        await second.goto(example.url)
        await second.waitForSelector('body[data-ready="true"]')
        expect(await second.textContent('#token-source')).toContain('read from IndexedDB')
        expect(await second.textContent('#token-requests')).toBe('1')

        const page = (await first.content()) + (await second.content())
        expect(page).not.toContain('dev-secret') // the secret is fetched by the script, never rendered
        expect(example.output()).toMatch(/token request #1 → 200/)
        expect(example.output()).not.toMatch(/token request #2/)
      } finally {
        await context.close()
      }
    })
  },
)
