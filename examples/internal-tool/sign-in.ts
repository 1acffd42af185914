/**
 * Signs a Playwright page in to the inbox through its form, as a person does: shared by the
 * end-to-end test and `npm run screenshots`.
 */
import type { Page } from 'playwright-core'
import { DEV_APP_KEY } from './start.ts'

/** Opens `url`, types a name and the team key, and resolves once the page the form led to has loaded. */
export async function signIn(page: Page, url: string, user = 'demo', key = DEV_APP_KEY): Promise<void> {
  await page.goto(url)
  await page.waitForSelector('body[data-ready="signin"]')
  await page.fill('input[name="user"]', user)
  await page.fill('input[name="key"]', key)
  // The marker goes first, so the wait below sees the page the form's answer led to.
  await page.evaluate(() => delete document.body.dataset.ready)
  await page.click('#signin button[type="submit"]')
  await page.waitForSelector('body[data-ready]')
}
