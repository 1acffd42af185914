/**
 * The behaviour suite in a real Chromium page: the cases bundled with esbuild into one page script
 * (test/chromium/behaviour-page.ts), one `it` per case, each run in a freshly loaded page so no
 * lock, channel or auth object of one case reaches the next. Missing Chromium skips loudly on a
 * developer machine and fails with `CI=true` (see `chromiumStatus`).
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromiumStatus, launchChromium, startTabServer, type TabServer } from '../chromium/harness.ts'
import { readFixture } from '../credentials/fixtures.ts'
import { loadFixtures } from './case.ts'
import { CASES, caseId, SUITE } from './suite.ts'

const PAGE_SCRIPT = new URL('../chromium/behaviour-page.ts', import.meta.url)

describe.skipIf(chromiumStatus.skip)(
  `behaviour in real Chromium${chromiumStatus.skip ? ` (skipped: ${chromiumStatus.reason})` : ''}`,
  { timeout: 30_000 },
  () => {
    const fixtures = loadFixtures(readFixture)
    let browser: Browser
    let server: TabServer
    let page: Page

    /** Loads the page afresh: a new document, with nothing left from the case before. */
    async function reload(): Promise<void> {
      // A module script runs before DOMContentLoaded: the page is ready then.
      await page.goto(server.url, { waitUntil: 'domcontentloaded' })
    }

    beforeAll(async () => {
      ;[browser, server] = await Promise.all([launchChromium(), startTabServer({ script: PAGE_SCRIPT })])
      page = await browser.newPage()
      await reload()
      // The page holds the very cases Node lists here: none is reported without having run.
      expect(await page.evaluate(() => window.behaviour.ids)).toEqual(CASES.map((behaviour) => behaviour.id))
    }, 30_000)
    afterAll(async () => {
      await browser?.close()
      await server?.close()
    })

    for (const group of SUITE) {
      describe(group.name, () => {
        for (const behaviour of group.cases) {
          it(behaviour.name, async () => {
            await reload()
            const outcome = await page.evaluate(([id, texts]) => window.behaviour.run(id, texts), [
              caseId(group, behaviour),
              await fixtures,
            ] as const)
            if (!outcome.ok) throw Object.assign(new Error(`in Chromium: ${outcome.message}`), { stack: outcome.stack })
          })
        }
      })
    }
  },
)
