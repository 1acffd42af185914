/**
 * The auth object of the strategies without tokens: `BASIC` (a user name and password on every
 * call, RFC 7617) and `NONE` (nothing). Same `getHeaders`, `fetch` and `urls` as with tokens;
 * `getToken` says why there is none.
 * @module
 */

import { InsecureUrlError, NoBearerTokenError } from '../errors.ts'
import { base64Utf8 } from '../lib/base64.ts'
import { isApi, unknownApi } from '../lib/is-api.ts'
import type { Api } from '../types.ts'
import { createUrls } from '../urls/index.ts'
import { insecureApis } from '../urls/insecure-http.ts'
import type { Auth } from './auth.ts'
import { createAuthFetch } from './auth-fetch.ts'
import type { ResolvedOptions } from './options.ts'

/** The auth object for `BASIC` or `NONE` credentials. */
export function createHeaderAuth({ credentials, strategy, fetch }: ResolvedOptions): Auth {
  // RFC 7617 §2.1: the user-id and password, joined by a colon, as UTF-8, in base64.
  const authorization = strategy === 'BASIC' ? `Basic ${base64Utf8(`${credentials.username}:${credentials.password}`)}` : undefined
  const urls = createUrls(credentials)
  const insecure = insecureApis(credentials)
  const authFetch = createAuthFetch({
    authorization: async () => authorization,
    insecureHosts: credentials.insecureHosts ?? [],
    urls,
    fetch,
  })
  const noToken = (api: Api = 'zeebe'): Promise<never> =>
    isApi(api) ? Promise.reject(new NoBearerTokenError(strategy, api)) : unknownApi(api)
  return Object.freeze({
    getToken: noToken,
    getTokenRecord: noToken,
    getHeaders: (api: Api = 'zeebe') => {
      if (!isApi(api)) return unknownApi(api)
      // As under OAuth: the password is not handed out for a plain-http host nobody allowed.
      const host = authorization ? insecure.get(api) : undefined
      if (host) return Promise.reject(new InsecureUrlError(host, `the ${api} API's credentials`))
      return Promise.resolve(authorization ? { authorization } : {})
    },
    fetch: (api: Api, input: RequestInfo | URL, init?: RequestInit) => (isApi(api) ? authFetch(api, input, init) : unknownApi(api)),
    invalidate: async () => {},
    urls,
    close() {},
  })
}
