/**
 * Serves a web fetch handler (the token broker) on a loopback port with node:http, recording what
 * each request carried, so the browser-side source is tested over a real socket.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedRequest {
  readonly method: string
  readonly path: string
  readonly headers: Record<string, string>
  readonly body: string
}

export interface ServedHandler {
  readonly url: string
  readonly received: ReceivedRequest[]
  close(): Promise<void>
}

export async function serveHandler(handler: (request: Request) => Promise<Response>): Promise<ServedHandler> {
  const received: ReceivedRequest[] = []
  const http = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value
    received.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers, body })
    const method = req.method ?? 'GET'
    const request = new Request(new URL(req.url ?? '/', `http://${req.headers.host}`), {
      method,
      headers,
      ...(method !== 'GET' && method !== 'HEAD' && { body }),
    })
    const response = await handler(request)
    res.writeHead(response.status, Object.fromEntries(response.headers))
    res.end(Buffer.from(await response.arrayBuffer()))
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const { port } = http.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.close((error) => (error ? reject(error) : resolve()))
        http.closeAllConnections()
      }),
  }
}
