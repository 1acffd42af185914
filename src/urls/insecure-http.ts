/**
 * Plain http beyond loopback, only where the bundle opted in (CAMUNDA_ALLOW_INSECURE_HTTP): the
 * check before a credential is sent, and the one event per host that says what travels in clear.
 * @module
 */

import { isLoopbackHost } from '../credentials/loopback.ts'
import { InsecureUrlError } from '../errors.ts'
import type { Emit } from '../lib/emit.ts'
import { type Api, APIS, type Credentials } from '../types.ts'

/** Throws `InsecureUrlError` when `url` is plain http to a host neither loopback nor in `allowed`. */
export function refuseInsecure(url: URL, allowed: readonly string[], what: string): void {
  if (isRefused(url, allowed)) throw new InsecureUrlError(url.hostname, what)
}

/** The one rule: plain http only to loopback or an allowed host. True when `url` breaks it. */
export const isRefused = (url: URL, allowed: readonly string[]): boolean =>
  url.protocol === 'http:' && !isLoopbackHost(url.hostname) && !allowed.includes(url.hostname)

/**
 * The APIs whose base URL is plain http to a host neither loopback nor allowed, with that host.
 * parseCredentials refuses such a bundle; credentials made by hand can still hold one, and
 * `getHeaders` must not hand out what a caller would then send there.
 */
export function insecureApis(credentials: Credentials): ReadonlyMap<Api, string> {
  const found = new Map<Api, string>()
  for (const api of APIS) {
    const url = credentials.baseUrls[api] ? new URL(credentials.baseUrls[api]) : undefined
    if (url && isRefused(url, credentials.insecureHosts ?? [])) found.set(api, url.hostname)
  }
  return found
}

/**
 * One `insecure_http` event for each opted-in host the credentials reach over plain http: the token
 * URL carries the client's credentials, the APIs carry tokens or the Basic password (none under NONE).
 */
export function announceInsecureHosts(credentials: Credentials, emit: Emit): void {
  const seen = new Set<string>()
  const announce = (url: string | undefined, carries: 'client credentials' | 'API credentials') => {
    const parsed = url ? new URL(url) : undefined
    if (parsed?.protocol !== 'http:' || isLoopbackHost(parsed.hostname) || seen.has(parsed.hostname)) return
    if (!credentials.insecureHosts?.includes(parsed.hostname)) return
    seen.add(parsed.hostname)
    emit({ type: 'insecure_http', host: parsed.hostname, carries })
  }
  if (credentials.strategy === 'OAUTH' || credentials.strategy === undefined) announce(credentials.tokenUrl, 'client credentials')
  if (credentials.strategy !== 'NONE') for (const api of APIS) announce(credentials.baseUrls[api], 'API credentials')
}
