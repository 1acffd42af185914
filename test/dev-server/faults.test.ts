import { decodeJwt } from 'jose'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createDevAuthServer } from '../../src/dev-server.ts'
import { isConnectionReset } from '../../src/dev-server/connection-reset.ts'
import { listenDevAuthServer } from '../../src/dev-server-node.ts'
import type { ListeningDevAuthServer } from '../../src/dev-server-node.ts'
import { formRequest, GOOD } from './helpers.ts'
import { InvalidArgumentError } from '../../src/errors.ts'

describe('fault hooks in-process', () => {
  const server = createDevAuthServer({ rateLimit: false })
  beforeEach(() => server.reset())

  it('delayMs holds the answer back', async () => {
    server.inject({ delayMs: 150 })
    const started = performance.now()
    const res = await server.fetch(formRequest())
    expect(res.status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
  })

  it('delayMs stops waiting when the request is aborted, and the request stays unanswered', async () => {
    server.inject({ delayMs: 10_000 })
    const started = performance.now()
    const pending = server.fetch(formRequest(GOOD, { signal: AbortSignal.timeout(50) }))
    await expect(pending).rejects.toMatchObject({ name: 'TimeoutError' })
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(server.requestLog).toEqual([expect.objectContaining({ status: 0 })])
  })

  it('a sequence of statuses answers the next requests in order, 200 meaning a real answer', async () => {
    server.inject([503, 429, 200])
    const first = await server.fetch(formRequest())
    const second = await server.fetch(formRequest())
    const third = await server.fetch(formRequest())
    expect([first.status, second.status, third.status]).toEqual([503, 429, 200])
    expect(((await first.json()) as { error: string }).error).toBe('temporarily_unavailable')
    expect(second.headers.get('retry-after')).toBe('1')
    expect((await third.json()) as object).toHaveProperty('access_token')
    expect(server.faults.pending).toBe(0)
  })

  it('an arbitrary answer carries the given status, headers and body, `times` times', async () => {
    server.inject({ status: 307, headers: { location: 'https://evil.example/steal' }, times: 2 })
    for (let i = 0; i < 2; i++) {
      const res = await server.fetch(formRequest())
      expect(res.status).toBe(307)
      expect(res.headers.get('location')).toBe('https://evil.example/steal')
    }
    server.inject({ status: 502, body: '<html>Bad gateway</html>', headers: { 'content-type': 'text/html' } })
    const res = await server.fetch(formRequest())
    expect([res.status, await res.text()]).toEqual([502, '<html>Bad gateway</html>'])
    expect((await server.fetch(formRequest())).status).toBe(200)
  })

  it('answers status faults even for a wrong secret: they replace the answer', async () => {
    server.inject(500)
    expect((await server.fetch(formRequest({ ...GOOD, client_secret: 'wrong' }))).status).toBe(500)
  })

  it('malformed bodies are 200s that are not usable token responses', async () => {
    server.inject([
      { body: 'html' },
      { body: 'truncated-json' },
      { body: 'empty' },
      { body: 'no-access-token' },
      { body: 'wrong-token-type' },
    ])
    const html = await server.fetch(formRequest())
    expect([html.status, html.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8'])
    const truncated = await server.fetch(formRequest())
    await expect(truncated.json()).rejects.toThrow(SyntaxError)
    expect(await (await server.fetch(formRequest())).text()).toBe('')
    const noToken = (await (await server.fetch(formRequest())).json()) as object
    expect(noToken).not.toHaveProperty('access_token')
    expect(noToken).toHaveProperty('expires_in')
    const wrongType = (await (await server.fetch(formRequest())).json()) as { token_type: string; access_token: string }
    expect(wrongType.token_type).toBe('mac')
    expect(wrongType.access_token.split('.')).toHaveLength(3)
  })

  it('expiresIn overrides expires_in, or leaves it out when null', async () => {
    server.inject([{ expiresIn: '3600' }, { expiresIn: -5 }, { expiresIn: null }])
    expect(((await (await server.fetch(formRequest())).json()) as Record<string, unknown>).expires_in).toBe('3600')
    expect(((await (await server.fetch(formRequest())).json()) as Record<string, unknown>).expires_in).toBe(-5)
    expect((await (await server.fetch(formRequest())).json()) as object).not.toHaveProperty('expires_in')
  })

  it('jwt shapes exp and iat, or makes the payload undecodable; opaque issues a non-JWT', async () => {
    const token = async () => ((await (await server.fetch(formRequest())).json()) as { access_token: string }).access_token
    server.inject([{ jwt: { exp: 1_000, iat: 900 } }, { jwt: { exp: null, iat: null } }, { jwt: { malformed: true } }, { opaque: true }])
    expect(decodeJwt(await token())).toMatchObject({ exp: 1_000, iat: 900 })
    const bare = decodeJwt(await token())
    expect(bare).not.toHaveProperty('exp')
    expect(bare).not.toHaveProperty('iat')
    const malformed = await token()
    expect(malformed.split('.')).toHaveLength(3)
    expect(() => decodeJwt(malformed)).toThrow()
    const opaque = await token()
    expect(opaque).not.toContain('.')
    expect(opaque.length).toBeGreaterThan(20)
  })

  it('shaping faults leave validation in force', async () => {
    server.inject({ opaque: true })
    expect((await server.fetch(formRequest({ ...GOOD, client_secret: 'wrong' }))).status).toBe(401)
  })

  it('reset makes server.fetch reject like a reset socket does', async () => {
    server.inject({ reset: true })
    const err: unknown = await server.fetch(formRequest()).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(TypeError)
    expect(isConnectionReset(err)).toBe(true)
    expect((err as Error & { cause: { code: string } }).cause.code).toBe('ECONNRESET')
  })

  it('refuses a malformed fault when it is injected, leaving the queue untouched', () => {
    expect(() => server.inject([500, { body: 'htm' as 'html' }])).toThrow(InvalidArgumentError)
    expect(() => server.inject(99)).toThrow(InvalidArgumentError)
    expect(server.faults.pending).toBe(0)
    server.inject([500, 502])
    server.faults.clear()
    expect(server.faults.pending).toBe(0)
  })
})

describe('fault hooks over loopback HTTP', () => {
  let dev: ListeningDevAuthServer
  beforeAll(async () => {
    dev = await listenDevAuthServer({ rateLimit: false })
  })
  afterAll(() => dev.close())
  beforeEach(() => dev.server.reset())

  it('trickleMs delivers the body slowly, in several pieces, but completely', async () => {
    dev.server.inject({ trickleMs: 40, trickleBytes: 128 })
    const started = performance.now()
    const res = await fetch(formRequest(GOOD, { origin: dev.url }))
    expect(res.status).toBe(200)
    const reader = res.body!.getReader()
    const chunks: Uint8Array[] = []
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
    }
    const elapsed = performance.now() - started
    const text = new TextDecoder().decode(Buffer.concat(chunks))
    const body = JSON.parse(text) as { access_token: string }
    const pieces = Math.ceil(text.length / 128)
    expect(pieces).toBeGreaterThanOrEqual(3)
    expect(chunks.length).toBeGreaterThan(1)
    expect(elapsed).toBeGreaterThanOrEqual(pieces * 40 - 20)
    expect(decodeJwt(body.access_token).sub).toBe('dev-client')
  })

  it('reset makes fetch reject, and the server keeps serving', async () => {
    dev.server.inject({ reset: true })
    await expect(fetch(formRequest(GOOD, { origin: dev.url }))).rejects.toThrow(TypeError)
    expect((await fetch(formRequest(GOOD, { origin: dev.url }))).status).toBe(200)
    expect(dev.server.requestLog.map((e) => e.status)).toEqual([0, 200])
  })

  it('an aborted delayed request stops waiting on both sides', async () => {
    dev.server.inject({ delayMs: 300 })
    const started = performance.now()
    await expect(fetch(formRequest(GOOD, { origin: dev.url, signal: AbortSignal.timeout(50) }))).rejects.toMatchObject({
      name: 'TimeoutError',
    })
    expect(performance.now() - started).toBeLessThan(250)
    // Had the server kept waiting, it would have answered (and logged 200) after 300 ms.
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(dev.server.requestLog.map((e) => e.status)).toEqual([0])
  })
})
