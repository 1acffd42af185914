/**
 * Serving a dev server over real loopback HTTP with `node:http`, for tests and demos that need a
 * socket: timeouts, aborts, slow bodies and connection resets behave as they do on the network.
 * @module
 */

import { InvalidArgumentError } from '../errors.ts'

import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { isLoopbackHost } from '../credentials/loopback.ts'
import { isConnectionReset } from './connection-reset.ts'
import { createDevAuthServer } from './server.ts'
import type { DevAuthServer } from './server.ts'
import type { DevAuthServerOptions } from './options.ts'

/**
 * Where to listen. Loopback only: the server hands out tokens to anyone who knows `dev-secret`.
 *
 * @example
 * ```ts
 * await listenDevAuthServer({}, { host: '127.0.0.1', port: 8787 })
 * ```
 */
export interface ListenOptions {
  /** A loopback address: `127.0.0.1` (default), another `127.x.y.z`, `::1` or `localhost`. */
  readonly host?: string
  /** The port; 0 (default) picks a free one. */
  readonly port?: number
}

/**
 * A listening dev server.
 *
 * @example
 * ```ts
 * const { url, tokenUrl, server, close } = await listenDevAuthServer()
 * ```
 */
export interface ListeningDevAuthServer {
  /** The origin, e.g. `http://127.0.0.1:54321`. */
  readonly url: string
  /** The token endpoint, e.g. `http://127.0.0.1:54321/oauth/token`. */
  readonly tokenUrl: string
  readonly server: DevAuthServer
  /** Stop listening and drop every connection, idle keep-alive ones included. */
  close(): Promise<void>
}

/**
 * Serve a dev server (or a new one made from `options`) on a loopback port.
 *
 * Each request becomes a web `Request` whose signal aborts when the client goes away; the web
 * `Response` is streamed back as it is produced, so trickled bodies arrive slowly. The `reset`
 * fault destroys the socket, so the client's `fetch` rejects.
 *
 * @example
 * ```ts
 * const dev = await listenDevAuthServer({ tokenLifetimeSeconds: 60 })
 * const credentials = parseCredentials(devCredentials(dev.url))
 * // …
 * await dev.close()
 * ```
 */
export async function listenDevAuthServer(
  server: DevAuthServer | DevAuthServerOptions = {},
  { host = '127.0.0.1', port = 0 }: ListenOptions = {},
): Promise<ListeningDevAuthServer> {
  if (!isLoopbackHost(host)) throw new InvalidArgumentError(`the dev auth server listens on loopback only, not ${host}`)
  const dev = isDevAuthServer(server) ? server : createDevAuthServer(server)

  // noDelay: send each trickled chunk at once rather than letting Nagle batch them.
  const http = createServer({ noDelay: true }, (req, res) => {
    void serve(dev, req, res)
  })
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen(port, host, () => {
      http.off('error', reject)
      resolve()
    })
  })

  const address = http.address() as AddressInfo
  const hostPart = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address
  const url = `http://${hostPart}:${address.port}`
  let closing: Promise<void> | undefined
  return {
    url,
    tokenUrl: `${url}${dev.tokenPath}`,
    server: dev,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        http.close((err) => (err ? reject(err) : resolve()))
        // close() alone waits for keep-alive connections to time out; tests would hang on them.
        http.closeAllConnections()
      })
      return closing
    },
  }
}

async function serve(dev: DevAuthServer, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const aborter = new AbortController()
  // 'close' on the response before it finished means the client went away.
  res.on('close', () => {
    if (!res.writableFinished) aborter.abort(new DOMException('the client closed the connection', 'AbortError'))
  })
  try {
    const request = await toWebRequest(req, aborter.signal)
    const response = await dev.fetch(request)
    await sendWebResponse(response, res, aborter.signal)
  } catch (err) {
    if (isConnectionReset(err) || aborter.signal.aborted) {
      req.socket.destroy()
    } else if (!res.headersSent) {
      res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' })
      res.end(JSON.stringify({ error: 'server_error', error_description: String(err) }))
    } else {
      // Part of the answer is out; the only honest signal left is to cut the connection.
      res.destroy(err instanceof Error ? err : undefined)
    }
  }
}

async function toWebRequest(req: IncomingMessage, signal: AbortSignal): Promise<Request> {
  const headers = new Headers()
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!)
  const method = req.method ?? 'GET'
  // Bodies here are small forms and JSON; buffering avoids Node's `duplex: 'half'` streaming rules.
  let body: Uint8Array<ArrayBuffer> | undefined
  if (method !== 'GET' && method !== 'HEAD') {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    body = new Uint8Array(Buffer.concat(chunks))
  }
  const host = req.headers.host ?? 'localhost'
  return new Request(new URL(req.url ?? '/', `http://${host}`), { method, headers, body: body ?? null, signal })
}

async function sendWebResponse(response: Response, res: ServerResponse, signal: AbortSignal): Promise<void> {
  const headers: Record<string, string | string[]> = {}
  response.headers.forEach((value, name) => {
    headers[name] = value
  })
  const setCookie = response.headers.getSetCookie()
  if (setCookie.length > 0) headers['set-cookie'] = setCookie
  res.writeHead(response.status, response.statusText || undefined, headers)
  if (!response.body) {
    res.end()
    return
  }
  const reader = response.body.getReader()
  const stop = () => void reader.cancel(signal.reason).catch(() => {})
  signal.addEventListener('abort', stop, { once: true })
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      // Respect backpressure so a slow client does not make us buffer the whole body.
      if (!res.write(value)) await new Promise<void>((resolve) => res.once('drain', resolve))
    }
    res.end()
  } finally {
    signal.removeEventListener('abort', stop)
  }
}

function isDevAuthServer(value: DevAuthServer | DevAuthServerOptions): value is DevAuthServer {
  return typeof (value as DevAuthServer).fetch === 'function' && typeof (value as DevAuthServer).requests === 'function'
}
