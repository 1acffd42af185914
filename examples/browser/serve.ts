/**
 * `npm run example:browser`: builds the browser example with rollup, then serves the page, its
 * bundle, its credentials and the dev authorization server on one loopback origin, and prints the
 * URL. Open it in several tabs: they share one token.
 *
 * Environment: `PORT` (default 8790; 0 picks a free one), `TOKEN_LIFETIME_SECONDS` (default 300).
 *
 * The page gets its credential bundle from `/config.json`, answered here with the dev server's
 * credentials for this origin: a page that holds a client secret shows it to whoever opens it, so
 * such a page belongs on trusted machines only (see the README's browser section).
 */
import { readFile } from 'node:fs/promises'
import { rollup } from 'rollup'
import { createDevAuthServer, devCredentials, type DevAuthServer } from 'camunda-edge-auth/dev-server'
import { listenDevAuthServer } from 'camunda-edge-auth/dev-server/node'
import config from './rollup.config.mjs'

const port = Number(process.env.PORT ?? 8790)
const tokenLifetimeSeconds = Number(process.env.TOKEN_LIFETIME_SECONDS ?? 300)

async function buildBundle(): Promise<void> {
  const bundle = await rollup(config)
  try {
    await bundle.write(config.output)
  } finally {
    await bundle.close()
  }
}

const started = performance.now()
await buildBundle()
console.log(`built ${config.output.file} in ${Math.round(performance.now() - started)} ms`)

const dev = createDevAuthServer({ tokenLifetimeSeconds })
const files: Record<string, [URL, string]> = {
  '/': [new URL('./index.html', import.meta.url), 'text/html; charset=utf-8'],
  '/app.js': [new URL('./dist/app.js', import.meta.url), 'text/javascript; charset=utf-8'],
  '/app.js.map': [new URL('./dist/app.js.map', import.meta.url), 'application/json'],
}
let origin = ''

// The dev server's loopback listener serves anything shaped like a dev server: this one answers
// the page's routes and hands the rest (token endpoint, fake APIs) to the dev server.
const site: DevAuthServer = {
  ...dev,
  fetch: async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init)
    const { pathname } = new URL(request.url)
    if (request.method === 'GET') {
      const file = files[pathname]
      if (file) return new Response(await readFile(file[0]), { headers: { 'content-type': file[1], 'cache-control': 'no-store' } })
      if (pathname === '/config.json') return Response.json(devCredentials(origin), { headers: { 'cache-control': 'no-store' } })
      if (pathname === '/dev/stats.json') return Response.json({ tokenRequests: dev.requests() })
      if (pathname === '/favicon.ico') return new Response(null, { status: 204 })
    }
    const response = await dev.fetch(request)
    if (pathname === dev.tokenPath) console.log(`token request #${dev.requests()} → ${response.status}`)
    return response
  },
}

const listening = await listenDevAuthServer(site, { port })
origin = listening.url
console.log(`camunda-edge-auth browser example: ${origin}/`)
console.log('Open it in a few tabs; Ctrl+C stops.')

const stop = () => {
  void listening.close().then(() => process.exit(0))
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
