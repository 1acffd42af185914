/**
 * Reading what a page asks the token broker for: the `api` parameter of a small form or JSON body.
 * @module
 */

import { readBoundedText } from '../lib/read-bounded.ts'

/** A broker request is a few bytes; anything larger is not one. */
const MAX_BODY_BYTES = 4_096

/**
 * What the body asked for: the `api` name (`undefined` when absent, so the broker's default
 * applies), or why the body was refused, with the status to answer.
 */
export type BrokerBody =
  | { readonly ok: true; readonly api: string | undefined }
  | { readonly ok: false; readonly status: 400 | 413 | 415; readonly description: string }

/**
 * Reads `api` from an `application/x-www-form-urlencoded` (`api=operate`) or `application/json`
 * (`{"api":"operate"}`) body of at most 4 KiB. An empty body asks for the default. Other media
 * types are refused with 415, a repeated `api` with 400.
 */
export async function readBrokerBody(request: Request): Promise<BrokerBody> {
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > MAX_BODY_BYTES) return tooLarge()
  const text = await readBoundedText(request.body, MAX_BODY_BYTES)
  if (text === undefined) return tooLarge()
  if (text.trim() === '') return { ok: true, api: undefined }

  const type = (request.headers.get('content-type') ?? '').split(';', 1)[0]!.trim().toLowerCase()
  if (type === 'application/x-www-form-urlencoded') {
    const values = new URLSearchParams(text).getAll('api')
    if (values.length > 1) return { ok: false, status: 400, description: 'the api parameter is given more than once' }
    return { ok: true, api: values[0] }
  }
  if (type === 'application/json' || type.endsWith('+json')) {
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      return { ok: false, status: 400, description: 'the body is not valid JSON' }
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return { ok: false, status: 400, description: 'the JSON body must be an object such as {"api":"zeebe"}' }
    }
    const api = Object.hasOwn(body, 'api') ? (body as Record<string, unknown>).api : undefined
    if (api !== undefined && typeof api !== 'string') return { ok: false, status: 400, description: 'api must be a string' }
    return { ok: true, api }
  }
  return {
    ok: false,
    status: 415,
    description: 'send application/x-www-form-urlencoded (api=zeebe) or application/json ({"api":"zeebe"})',
  }
}

function tooLarge(): BrokerBody {
  return { ok: false, status: 413, description: `the body is larger than ${MAX_BODY_BYTES} bytes` }
}
