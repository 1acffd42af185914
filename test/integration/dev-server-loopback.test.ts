/**
 * createAuth against the dev authorization server over real loopback HTTP, with the global fetch:
 * what a Node user of the package gets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createAuth,
  parseCredentials,
  RedirectRefusedError,
  TokenRequestError,
  TokenResponseError,
  TokenTimeoutError,
} from '../../src/index.ts'
import { devCredentials } from '../../src/dev-server.ts'
import { listenDevAuthServer, type ListeningDevAuthServer } from '../../src/dev-server-node.ts'
import { listenCollector, type Collector } from '../helpers/collector.ts'
import { rejectionOf } from '../helpers/harness.ts'

let dev: ListeningDevAuthServer
let elsewhere: Collector

beforeAll(async () => {
  dev = await listenDevAuthServer({ rateLimit: false })
  // A second origin that a redirect points to: it must never see the secret.
  elsewhere = await listenCollector()
})

afterAll(async () => {
  await dev.close()
  await elsewhere.close()
})

const freshAuth = (options: { timeoutMs?: number } = {}) => {
  dev.server.reset()
  return createAuth({ credentials: parseCredentials(devCredentials(dev.url)), ...options })
}

describe('over loopback HTTP against the dev server', () => {
  it('gets zeebe and operate tokens and calls the API with them', async () => {
    const auth = freshAuth()
    const topology = await auth.fetch('zeebe', '/v2/topology')
    expect(topology.status).toBe(200)
    const search = await auth.fetch('operate', auth.urls.operate('/v1/process-instances/search'), { method: 'POST', body: '{}' })
    expect(search.status).toBe(200)
    expect(dev.server.requests()).toBe(2)
  })

  it('50 concurrent callers cause one request over the network', async () => {
    const auth = freshAuth()
    await Promise.all(Array.from({ length: 50 }, () => auth.getToken('tasklist')))
    expect(dev.server.requests()).toBe(1)
  })

  it('does not follow a redirect to another origin with the secret', async () => {
    const auth = freshAuth()
    dev.server.inject({ status: 307, headers: { location: elsewhere.url } })
    const error = await rejectionOf(auth.getToken())
    expect(error).toBeInstanceOf(RedirectRefusedError)
    expect(error).toMatchObject({ status: 307 })
    expect(elsewhere.hits).toBe(0)
  })

  it('times out a body trickled slower than the timeout', async () => {
    const auth = freshAuth({ timeoutMs: 300 })
    dev.server.inject({ trickleMs: 200 })
    expect(await rejectionOf(auth.getToken())).toBeInstanceOf(TokenTimeoutError)
  })

  it('reports a connection reset as TokenRequestError', async () => {
    const auth = freshAuth()
    dev.server.inject({ reset: true })
    expect(await rejectionOf(auth.getToken())).toBeInstanceOf(TokenRequestError)
  })

  it.each(['html', 'truncated-json', 'empty', 'no-access-token', 'wrong-token-type'] as const)(
    'refuses a 200 with a %s body as TokenResponseError',
    async (body) => {
      const auth = freshAuth()
      dev.server.inject({ body })
      const error = await rejectionOf(auth.getToken())
      expect(error).toBeInstanceOf(TokenResponseError)
      expect(error).toMatchObject({ code: 'ERR_TOKEN_RESPONSE_INVALID', status: 200 })
    },
  )
})
