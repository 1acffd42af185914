/**
 * Starts the whole inbox offline: builds the page with rollup, starts the dev server (token
 * endpoint plus its small Orchestration Cluster) on a loopback port, and runs the Worker in
 * workerd through wrangler's own dev server (`unstable_startWorker`: what `wrangler dev` runs, with
 * this example's wrangler.jsonc, KV, the Durable Object and the assets), pointed at the dev server.
 * Used by `npm run example:tool` (serve.ts), the end-to-end test and `npm run screenshots`.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { rollup } from 'rollup'
import { unstable_startWorker } from 'wrangler'
// Relative imports, not the package's name: the end-to-end test imports this file too, and the
// test runner does not read examples/tsconfig.json's paths.
import { createDevAuthServer, DEFAULT_CLIENT, type DevAuthServerOptions, type DevClient } from '../../src/dev-server.ts'
import { listenDevAuthServer, type ListeningDevAuthServer } from '../../src/dev-server-node.ts'
import config from './rollup.config.mjs'

/** The team key of the offline tool: type it into the sign-in form (or send it as `x-app-key`). */
export const DEV_APP_KEY = 'dev-team-key'

/**
 * The running tool.
 *
 * @example
 * ```ts
 * const tool = await startInternalTool()
 * console.log(tool.url, tool.dev.server.requests({ audience: 'zeebe.camunda.io' }))
 * await tool.close()
 * ```
 */
export interface InternalTool {
  /** The page, e.g. `http://127.0.0.1:8791/`. */
  readonly url: string
  /** The dev server the Worker gets its token from and proxies to: its counters and its cluster. */
  readonly dev: ListeningDevAuthServer
  close(): Promise<void>
}

/**
 * Options of {@link startInternalTool}.
 *
 * @example
 * ```ts
 * await startInternalTool({ port: 0, devServer: { tokenLifetimeSeconds: 60 } })
 * ```
 */
export interface InternalToolOptions {
  /** The Worker's port on 127.0.0.1. Default 8791; 0 picks a free one. */
  readonly port?: number
  /** Options of the dev server (its `clients` are replaced by `client`). */
  readonly devServer?: DevAuthServerOptions
  /** The OAuth client the Worker authenticates as, with a client secret (the tool's Worker sends one). Default `dev-client` / `dev-secret`. */
  readonly client?: DevClient & { readonly clientSecret: string }
}

/**
 * Builds page/dist/ (index.html, app.css, app.js). Each file is written beside its place and
 * renamed into it, so a Worker serving the directory while another run (a test, a screenshot)
 * rebuilds it never reads half a file.
 */
export async function buildPage(): Promise<void> {
  const bundle = await rollup(config)
  try {
    const { output } = await bundle.generate(config.output)
    await mkdir(config.output.dir, { recursive: true })
    for (const file of output) {
      const target = join(config.output.dir, file.fileName)
      const partial = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.partial`
      await writeFile(partial, file.type === 'chunk' ? file.code : file.source)
      await rename(partial, target)
    }
  } finally {
    await bundle.close()
  }
}

/**
 * Builds the page, starts the dev server and the Worker, and resolves once the page answers.
 *
 * @example
 * ```ts
 * const { url, close } = await startInternalTool({ port: 0 })
 * ```
 */
export async function startInternalTool(options: InternalToolOptions = {}): Promise<InternalTool> {
  // Offline: no metrics, and no fetch of the `Request.cf` sample from Cloudflare (a placeholder serves).
  process.env.WRANGLER_SEND_METRICS ??= 'false'
  process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false'
  await buildPage()
  const client = options.client ?? DEFAULT_CLIENT
  const dev = await listenDevAuthServer(createDevAuthServer({ ...options.devServer, clients: [client] }))
  const plain = (value: string) => ({ type: 'plain_text' as const, value })
  const secret = (value: string) => ({ type: 'secret_text' as const, value })
  try {
    const worker = await unstable_startWorker({
      config: fileURLToPath(new URL('./wrangler.jsonc', import.meta.url)),
      // The variables below are the whole configuration: no .env or .dev.vars file is read.
      envFiles: [],
      sendMetrics: false,
      bindings: {
        ZEEBE_CLIENT_ID: plain(client.clientId),
        ZEEBE_CLIENT_SECRET: secret(client.clientSecret),
        ZEEBE_AUTHORIZATION_SERVER_URL: plain(dev.tokenUrl),
        ZEEBE_TOKEN_AUDIENCE: plain('zeebe.camunda.io'),
        ZEEBE_REST_ADDRESS: plain(`${dev.url}/zeebe`),
        APP_KEY: secret(DEV_APP_KEY),
        // New on every start: sessions end when the tool stops.
        SESSION_SECRET: secret(randomBytes(32).toString('base64url')),
      },
      dev: {
        server: { hostname: '127.0.0.1', port: options.port ?? 8791 },
        inspector: false,
        watch: false,
        persist: false,
        remote: false,
        logLevel: 'warn',
      },
    })
    const url = new URL('/', await worker.url).href
    return {
      url,
      dev,
      async close() {
        await worker.dispose()
        await dev.close()
      },
    }
  } catch (error) {
    await dev.close()
    throw error
  }
}
