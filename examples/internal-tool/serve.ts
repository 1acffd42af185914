/**
 * `npm run example:tool`: the user-task inbox, offline. Builds the page, starts the dev server
 * (token endpoint and a small Orchestration Cluster with a handful of tasks) and the Worker in
 * workerd, then prints the page's URL on a line of its own. Open it, sign in with any name and the
 * team key it prints, and open more tabs: they share the Worker's one token.
 *
 * Environment: `PORT` (default 8791; 0 picks a free one).
 */
import { writeSync } from 'node:fs'
import type { InternalTool } from './start.ts'

let tool: InternalTool | undefined
const stop = () => {
  // Written at once: wrangler's own signal handler ends the process right after this one.
  const audience = 'zeebe.camunda.io'
  if (tool)
    writeSync(
      1,
      `token requests for ${audience}: ${tool.dev.server.requests({ audience })}; API requests: ${tool.dev.server.apiRequests()}\n`,
    )
  void (tool?.close() ?? Promise.resolve()).then(() => process.exit(0))
}
// Registered before wrangler is loaded (below), which adds signal handlers of its own that exit.
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
const { DEV_APP_KEY, startInternalTool } = await import('./start.ts')

const started = performance.now()
tool = await startInternalTool({ port: Number(process.env.PORT ?? 8791) })
console.log(
  `camunda-edge-auth task inbox (${Math.round(performance.now() - started)} ms): the Worker in workerd, the dev server on ${tool.dev.url}`,
)
console.log(`sign in with any name and the team key ${DEV_APP_KEY}; Ctrl+C stops`)
console.log(tool.url)
