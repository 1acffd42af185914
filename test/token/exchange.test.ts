import { describe, expect, it } from 'vitest'
import { InvalidClientError, RateLimitedError, TokenResponseError, parseCredentials } from '../../src/index.ts'
import { DEFAULT_EXPIRY_POLICY } from '../../src/token/expiry.ts'
import { exchangeToken } from '../../src/token/exchange.ts'
import { rejectionOf } from '../helpers/harness.ts'

const credentials = parseCredentials({
  ZEEBE_CLIENT_ID: 'c',
  ZEEBE_CLIENT_SECRET: 'secret-value-123',
  ZEEBE_AUTHORIZATION_SERVER_URL: 'https://login.cloud.camunda.io/oauth/token',
})
const exchange = (response: Response) =>
  exchangeToken({
    credentials,
    api: 'zeebe',
    audience: 'zeebe.camunda.io',
    clientAuth: 'client_secret_post',
    audienceParam: 'audience',
    fetch: async () => response,
    timeoutMs: 1000,
    policy: DEFAULT_EXPIRY_POLICY,
    now: Date.now,
  })
const huge = `<html>${'x'.repeat(100_000)}</html>`

describe('exchangeToken: what the status says wins over an unreadable body', () => {
  it('a 429 with an oversized page still honours Retry-After', async () => {
    const error = await rejectionOf(exchange(new Response(huge, { status: 429, headers: { 'retry-after': '7' } })))
    expect(error).toBeInstanceOf(RateLimitedError)
    expect((error as RateLimitedError).retryAfterMs).toBeGreaterThan(6_000)
  })
  it('a 401 with an oversized page is still invalid_client', async () => {
    expect(await rejectionOf(exchange(new Response(huge, { status: 401 })))).toBeInstanceOf(InvalidClientError)
  })
  it('a 200 with an oversized body is a TokenResponseError', async () => {
    expect(await rejectionOf(exchange(new Response(huge, { status: 200 })))).toBeInstanceOf(TokenResponseError)
  })
  it('a 429 that also says invalid_client is a rate limit', async () => {
    const body = JSON.stringify({ error: 'invalid_client' })
    expect(await rejectionOf(exchange(new Response(body, { status: 429 })))).toBeInstanceOf(RateLimitedError)
  })
  it('never quotes an unknown token_type, which may be a token or the secret echoed back', async () => {
    const body = JSON.stringify({ access_token: 'abc', token_type: 'secret-value-123' })
    const error = await rejectionOf(exchange(new Response(body, { status: 200 })))
    expect(error.message).not.toContain('secret-value-123')
    expect(error.message).toMatch(/not a known token type/)
  })
})
