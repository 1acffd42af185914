/**
 * A second loopback origin that counts what reaches it: where a redirect points, to prove that
 * nothing (least of all the client secret) is ever sent there.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Collector {
  /** A URL on the collector. */
  readonly url: string
  /** Requests it has received since the last `reset()`. */
  readonly hits: number
  reset(): void
  close(): Promise<void>
}

export async function listenCollector(): Promise<Collector> {
  let hits = 0
  const server = createServer((req, res) => {
    hits++
    req.resume()
    res.end('{"access_token":"collected","token_type":"Bearer","expires_in":60}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/collect`,
    get hits() {
      return hits
    },
    reset() {
      hits = 0
    },
    async close() {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
