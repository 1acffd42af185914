/**
 * `auth.fetch`: `fetch` with an API's credentials attached (a bearer token, or Basic), only ever
 * under that API's base URL, and one fresh token and one retry after a 401, within limits that keep
 * a 401 storm from becoming a token-request storm.
 * @module
 */

import { ForeignUrlError } from '../errors.ts'
import { noop } from '../lib/noop.ts'
import type { Api } from '../types.ts'
import type { CamundaUrls, DynamicUrlBuilder } from '../urls/index.ts'
import { isUnderBase, unsafePathReason } from '../urls/within-base.ts'
import { refuseInsecure } from '../urls/insecure-http.ts'

/** What `auth.fetch` needs from the auth object. */
export interface AuthFetchContext {
  /** The `Authorization` value for `api` (`Bearer …`, `Basic …`), or `undefined` to send none. */
  readonly authorization: (api: Api) => Promise<string | undefined>
  /**
   * Told that the API answered 401 to `sent`; returns whether a fresh value is worth one retry.
   * Absent where there is nothing to refresh (Basic, no authentication).
   */
  readonly refused?: (api: Api, sent: string) => boolean
  /** Hosts other than loopback that a credential may reach over plain http. */
  readonly insecureHosts: readonly string[]
  readonly urls: CamundaUrls
  readonly fetch: typeof fetch
}

/** Bodies up to this size are kept for the retry after a 401; larger ones and streams are not. */
const MAX_REPLAY_BYTES = 1_048_576

/** Makes `auth.fetch` for an auth object. The API name has been checked by the caller. */
export function createAuthFetch(context: AuthFetchContext): (api: Api, input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
  const { authorization, refused, insecureHosts, urls, fetch: fetchImpl } = context
  return async (api, input, init) => {
    const request = new Request(checkedTarget(urls, api, input), init)
    // Cloned before sending, so the retry after a 401 has its body; a stream or a large body is
    // not, since the clone would hold all of it in memory (Workers isolates have 128 MB).
    const retry = refused && replayable(input, init) ? request.clone() : undefined
    const sent = await authorization(api)
    if (sent !== undefined) {
      refuseInsecure(new URL(request.url), insecureHosts, `the ${api} API's credentials`)
      request.headers.set('authorization', sent)
    }
    const response = await fetchImpl(request)
    // A fresh token only helps if the refused one can be dropped and the body can be sent again.
    if (response.status !== 401 || sent === undefined || !refused?.(api, sent) || !retry) return response
    const fresh = await authorization(api)
    // The same value again (a static token): the API would only refuse it once more.
    if (fresh === undefined || fresh === sent) return response
    await response.body?.cancel().catch(noop)
    retry.headers.set('authorization', fresh)
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
