/**
 * `npm run screenshots`: runs the inbox as the end-to-end test does (dev server, the Worker in
 * workerd, real Chromium), signs in, assigns a task, types two variables, and saves
 * examples/internal-tool/screenshot.png, which both READMEs show.
 */
import { launchChromium } from '../../test/chromium/harness.ts'
import { signIn } from './sign-in.ts'
import { startInternalTool } from './start.ts'

const file = new URL('./screenshot.png', import.meta.url)
const [tool, browser] = await Promise.all([startInternalTool({ port: 0 }), launchChromium()])
try {
  const page = await (await browser.newContext({ viewport: { width: 1360, height: 760 }, deviceScaleFactor: 1.5 })).newPage()
  await signIn(page, tool.url, 'dana')
  const second = await page.$eval('#tasks tr:nth-child(2)', (row) => (row as HTMLElement).dataset.key!)
  await page.click(`#tasks tr[data-key="${second}"] button[data-action="assign"]`)
  await page.waitForSelector('body[data-settled="1"]')
  await page.fill('#variables .row:nth-child(1) input[name="name"]', 'approved')
  await page.fill('#variables .row:nth-child(1) input[name="value"]', 'true')
  await page.fill('#variables .row:nth-child(2) input[name="name"]', 'comment')
  await page.fill('#variables .row:nth-child(2) input[name="value"]', 'Matches the order')
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  await page.screenshot({ path: file.pathname, fullPage: true })
  console.log(`wrote ${file.pathname} (${tool.dev.server.requests()} token request)`)
} finally {
  await browser.close()
  await tool.close()
}
