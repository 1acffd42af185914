/**
 * Reading a token request: the body (form or JSON) and HTTP Basic client authentication, into one
 * flat set of parameters. Reading never fails on bad values; the endpoint judges them, so that even
 * a malformed request is logged with whatever client id and audience it named.
 * @module
 */

import { readBoundedText } from '../lib/read-bounded.ts'

/**
 * The parameters of a token request, as sent.
 */
export interface TokenRequestParams {
  readonly grantType: string | undefined
  readonly clientId: string | undefined
  readonly clientSecret: string | undefined
  /** `audience`, or else the RFC 8707 `resource`. */
  readonly audience: string | undefined
  readonly scope: string | undefined
  /** How the client authenticated: `basic` (client_secret_basic), `post` (in the body) or `assertion` (private_key_jwt). */
  readonly auth: 'basic' | 'post' | 'assertion' | 'none'
  /** The client assertion (RFC 7523), when `auth` is `assertion`. */
  readonly assertion?: string
  /** Set when the request is malformed; the endpoint answers 400/401 with it. */
  readonly problem?: { readonly error: 'invalid_request' | 'invalid_client' | 'invalid_target'; readonly description: string }
}

/**
 * Read a token request's parameters.
 */
export async function readTokenRequest(request: Request): Promise<TokenRequestParams> {
  const { fields, problem } = await readBody(request)
  const one = (name: string) => {
    const values = fields.get(name)
    return values === undefined ? undefined : values[0]
  }
  let problemOut = problem
  for (const [name, values] of fields) {
    // RFC 6749 §3.2: parameters must not be repeated. `resource` may be (RFC 8707), but every token
    // here has a single audience, so more than one is a target we cannot serve.
    if (values.length > 1) {
      problemOut ??=
        name === 'resource'
          ? { error: 'invalid_target', description: 'only one resource per token request is supported' }
          : { error: 'invalid_request', description: `parameter ${name} is repeated` }
    }
  }

  const audienceField = one('audience')
  const resource = one('resource')
  if (audienceField !== undefined && resource !== undefined && audienceField !== resource) {
    problemOut ??= { error: 'invalid_request', description: 'audience and resource disagree' }
  }

  const basic = readBasic(request.headers.get('authorization'))
  const bodyId = one('client_id')
  const bodySecret = one('client_secret')
  let clientId = bodyId
  let clientSecret = bodySecret
  let auth: TokenRequestParams['auth'] = bodySecret !== undefined ? 'post' : 'none'
  if (basic) {
    auth = 'basic'
    if ('problem' in basic) {
      problemOut ??= { error: 'invalid_client', description: basic.problem }
    } else {
      // RFC 6749 §2.3: one authentication method per request.
      if (bodySecret !== undefined) {
        problemOut ??= { error: 'invalid_request', description: 'use either HTTP Basic or client_secret in the body, not both' }
      } else if (bodyId !== undefined && bodyId !== basic.id) {
        problemOut ??= { error: 'invalid_request', description: 'client_id in the body differs from HTTP Basic' }
      }
      clientId = basic.id
      clientSecret = basic.secret
    }
  }

  const assertion = one('client_assertion')
  const assertionType = one('client_assertion_type')
  if (assertion !== undefined || assertionType !== undefined) {
    if (assertionType !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' || assertion === undefined) {
      problemOut ??= {
        error: 'invalid_request',
        description: 'client_assertion_type must be urn:ietf:params:oauth:client-assertion-type:jwt-bearer, with a client_assertion',
      }
    } else if (auth !== 'none') {
      problemOut ??= { error: 'invalid_request', description: 'use one client authentication method per request' }
    } else {
      auth = 'assertion'
    }
  }

  return {
    grantType: one('grant_type'),
    clientId,
    clientSecret,
    ...(auth === 'assertion' && { assertion }),
    audience: audienceField ?? resource,
    scope: one('scope'),
    auth,
    ...(problemOut ? { problem: problemOut } : {}),
  }
}

/** A token request is a few hundred bytes; anything far larger is not one. */
const MAX_BODY_BYTES = 65_536

type Fields = Map<string, string[]>

async function readBody(request: Request): Promise<{ fields: Fields; problem?: TokenRequestParams['problem'] }> {
  const fields: Fields = new Map()
  const add = (k: string, v: string) => fields.set(k, [...(fields.get(k) ?? []), v])
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  // Read as bytes and decoded (workerd warns on .text() for a form body), at most 64 KiB of them.
  const text = await readBoundedText(request.body, MAX_BODY_BYTES)
  if (text === undefined)
    return { fields, problem: { error: 'invalid_request', description: `the body is larger than ${MAX_BODY_BYTES} bytes` } }
  if (type === 'application/x-www-form-urlencoded') {
    for (const [k, v] of new URLSearchParams(text)) add(k, v)
    return { fields }
  }
  if (type === 'application/json') {
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      return { fields, problem: { error: 'invalid_request', description: 'the body is not valid JSON' } }
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { fields, problem: { error: 'invalid_request', description: 'the JSON body must be an object' } }
    }
    for (const [k, v] of Object.entries(parsed)) {
      // Accept the JSON form of a repeated `resource` so it is refused with the right error.
      if (Array.isArray(v)) for (const item of v) add(k, String(item))
      else if (v !== null && v !== undefined) add(k, String(v))
    }
    return { fields }
  }
  return {
    fields,
    problem: {
      error: 'invalid_request',
      description: 'Content-Type must be application/x-www-form-urlencoded or application/json',
    },
  }
}

/**
 * Decode `Authorization: Basic …`. RFC 6749 §2.3.1 form-encodes the id and the secret before
 * joining them with `:`, so both are form-decoded here (`+` is a space), which also lets ids
 * contain `:`.
 */
function readBasic(header: string | null): { id: string; secret: string } | { problem: string } | undefined {
  if (!header) return undefined
  const match = /^basic\s+(\S+)\s*$/i.exec(header)
  if (!match) return /^basic\b/i.test(header) ? { problem: 'malformed HTTP Basic credentials' } : undefined
  let decoded: string
  try {
    const binary = atob(match[1]!)
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))
  } catch {
    return { problem: 'HTTP Basic credentials are not base64' }
  }
  const colon = decoded.indexOf(':')
  if (colon < 0) return { problem: 'HTTP Basic credentials have no ":"' }
  try {
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) }
  } catch {
    return { problem: 'HTTP Basic credentials are not form-encoded' }
  }
}

function formDecode(s: string): string {
  return decodeURIComponent(s.replace(/\+/g, ' '))
}
