/**
 * `auth.fetch`: `fetch` with an API's bearer token attached, only ever under that API's base URL,
 * and one fresh token and one retry after a 401, within limits that keep a 401 storm from becoming
 * a token-request storm.
 * @module
 */

import { ForeignUrlError } from '../errors.ts'
import { noop } from '../lib/noop.ts'
import type { Api } from '../types.ts'
import type { CamundaUrls, DynamicUrlBuilder } from '../urls/index.ts'
import { isUnderBase, unsafePathReason } from '../urls/within-base.ts'
import { dropToken, type Slot } from './slot.ts'

/** What `auth.fetch` needs from the auth object. */
export interface AuthFetchContext {
  readonly slot: (api: Api) => Slot
  readonly getToken: (api: Api) => Promise<string>
  readonly urls: CamundaUrls
  readonly fetch: typeof fetch
  readonly now: () => number
}

/** Bodies up to this size are kept for the retry after a 401; larger ones and streams are not. */
const MAX_REPLAY_BYTES = 1_048_576

/** Makes `auth.fetch` for an auth object. The API name has been checked by the caller. */
export function createAuthFetch(context: AuthFetchContext): (api: Api, input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
  const { slot: slotOf, getToken, urls, fetch: fetchImpl, now } = context
  return async (api, input, init) => {
    const slot = slotOf(api)
    const request = new Request(checkedTarget(urls, api, input), init)
    // Cloned before sending, so the retry after a 401 has its body; a stream or a large body is
    // not, since the clone would hold all of it in memory (Workers isolates have 128 MB).
    const retry = replayable(input, init) ? request.clone() : undefined
    const token = await getToken(api)
    request.headers.set('authorization', `Bearer ${token}`)
    const response = await fetchImpl(request)
    if (response.status !== 401) return response
    // This token replaced one the API refused moments ago: the 401 is the API's answer, not the
    // token's fault, and another token request would only feed the token endpoint's rate limit.
    if (slot.token?.accessToken === token && now() < slot.unauthorizedUntil) return response
    dropToken(slot, 'unauthorized', token)
    if (!retry) return response
    await response.body?.cancel().catch(noop)
    const fresh = await getToken(api)
    retry.headers.set('authorization', `Bearer ${fresh}`)
    return fetchImpl(retry)
  }
}

/** `input` as a URL under the API's base URL, or a `ForeignUrlError`: the token goes nowhere else. */
function checkedTarget(urls: CamundaUrls, api: Api, input: RequestInfo | URL): RequestInfo {
  const build = urls[api] as DynamicUrlBuilder
  const base = new URL(build(''))
  const refuse = (origin: string, why: string): never => {
    throw new ForeignUrlError(
      `auth.fetch('${api}', …) refused ${origin}: ${why}; the ${api} token is only sent under ${base.origin}${base.pathname}`,
      origin,
    )
  }
  if (typeof input === 'string' && input.startsWith('/')) {
    const reason = unsafePathReason(input.split(/[?#]/, 1)[0]!)
    if (reason !== undefined) refuse(base.origin, `the path has ${reason}`)
    input = build(input)
  }
  const url = new URL(input instanceof Request ? input.url : input)
  if (!isUnderBase(base, url)) refuse(url.origin, url.origin === base.origin ? 'the path is outside the base URL' : 'another origin')
  return input instanceof Request ? input : url.href
}

/** Whether a request's body is small enough, and of a kind, to be sent a second time. */
function replayable(input: RequestInfo | URL, init: RequestInit | undefined): boolean {
  const body = init?.body
  if (body === undefined || body === null) return !(input instanceof Request) || input.body === null
  return bodySize(body) <= MAX_REPLAY_BYTES
}

function bodySize(body: BodyInit): number {
  if (typeof body === 'string') return body.length
  if (body instanceof URLSearchParams) return body.toString().length
  if (body instanceof Blob) return body.size
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return body.byteLength
  if (typeof FormData !== 'undefined' && body instanceof FormData) {
    let size = 0
    for (const [, value] of body) size += typeof value === 'string' ? value.length : value.size
    return size
  }
  return Number.POSITIVE_INFINITY // a stream: its size is unknown until it has been read
}
