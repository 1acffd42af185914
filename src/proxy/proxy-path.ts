/**
 * Where a proxied request goes: which API its path names, and the upstream URL under that API's
 * base URL. A path that could leave the base URL is refused, not repaired.
 * @module
 */

import { InvalidArgumentError } from '../errors.ts'

import type { Api } from '../types.ts'
import { withoutTrailingSlashes } from '../urls/join.ts'

/**
 * The API a request path names, and the rest of the path (`''` or starting with `/`), still
 * percent-encoded as it arrived.
 */
export interface ProxyRoute {
  readonly api: Api
  readonly path: string
}

/**
 * Checks and normalises the proxy's mount prefix: `''`, or `/segment…` without a trailing slash.
 */
export function proxyPrefix(prefix: string | undefined): string {
  const value = withoutTrailingSlashes(prefix ?? '')
  if (value !== '' && (!value.startsWith('/') || value.includes('//') || /[?#\\%]/.test(value))) {
    throw new InvalidArgumentError(`prefix must be a path such as "/api", got "${prefix}"`)
  }
  return value
}

/**
 * Which served API `pathname` (as in `new URL(request.url).pathname`) belongs to, below `prefix`:
 * `/zeebe/v2/topology` → `{ api: 'zeebe', path: '/v2/topology' }`. `undefined` for anything else.
 */
export function matchProxyRoute(pathname: string, prefix: string, apis: readonly Api[]): ProxyRoute | undefined {
  if (prefix !== '' && !pathname.startsWith(`${prefix}/`)) return undefined
  const rest = pathname.slice(prefix.length)
  for (const api of apis) {
    const head = `/${api}`
    if (rest === head || rest.startsWith(`${head}/`)) return { api, path: rest.slice(head.length) }
  }
  return undefined
}

// The path rules are shared with `auth.fetch`: one implementation decides where a token may go.
export { unsafePathReason, upstreamUrl } from '../urls/within-base.ts'
