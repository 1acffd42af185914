/** Shared helpers for the dev-server tests: building token requests. */

export const ORIGIN = 'http://127.0.0.1'

export interface TokenParams {
  grant_type?: string
  client_id?: string
  client_secret?: string
  audience?: string
  scope?: string
  resource?: string
}

export const GOOD: TokenParams = {
  grant_type: 'client_credentials',
  client_id: 'dev-client',
  client_secret: 'dev-secret',
  audience: 'zeebe.camunda.io',
}

/** A form-encoded token request, as most clients send it. */
export function formRequest(params: TokenParams = GOOD, { origin = ORIGIN, ...init }: RequestInit & { origin?: string } = {}): Request {
  const body = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined))
  return new Request(`${origin}/oauth/token`, { method: 'POST', body, ...init })
}

/** A JSON token request, as some Camunda SDKs send it. */
export function jsonRequest(params: TokenParams = GOOD, origin = ORIGIN): Request {
  return new Request(`${origin}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  })
}

/** RFC 6749 §2.3.1: form-encode id and secret, then base64 `id:secret`. */
export function basicHeader(id: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+')
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`, 'utf8').toString('base64')}`
}
