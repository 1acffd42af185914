/**
 * Where a proxied request goes: which API its path names, and the upstream URL under that API's
 * base URL. A path that could leave the base URL is refused, not repaired.
 * @module
 */

import type { Api } from '../types.ts'
import { joinUrl, withoutTrailingSlashes } from '../urls/join.ts'

/**
 * The API a request path names, and the rest of the path (`''` or starting with `/`), still
 * percent-encoded as it arrived.
 *
 * @example
 * ```ts
 * const route: ProxyRoute | undefined = matchProxyRoute('/zeebe/v2/topology', '', apis)
 * ```
 */
export interface ProxyRoute {
  readonly api: Api
  readonly path: string
}

/**
 * Checks and normalises the proxy's mount prefix: `''`, or `/segment…` without a trailing slash.
 *
 * @example
 * ```ts
 * proxyPrefix('/api/') // '/api'
 * ```
 */
export function proxyPrefix(prefix: string | undefined): string {
  const value = withoutTrailingSlashes(prefix ?? '')
  if (value !== '' && (!value.startsWith('/') || value.includes('//') || /[?#\\%]/.test(value))) {
    throw new TypeError(`prefix must be a path such as "/api", got "${prefix}"`)
  }
  return value
}

/**
 * Which served API `pathname` (as in `new URL(request.url).pathname`) belongs to, below `prefix`:
 * `/zeebe/v2/topology` → `{ api: 'zeebe', path: '/v2/topology' }`. `undefined` for anything else.
 *
 * @example
 * ```ts
 * matchProxyRoute('/api/operate/v1/process-instances/search', '/api', ['operate'])
 * // { api: 'operate', path: '/v1/process-instances/search' }
 * ```
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

/**
 * Why `path` is refused, or `undefined` when it is safe to put under a base URL. Refused: empty
 * segments (`//`, which could start another authority), `.` and `..` segments in any encoding,
 * encoded `/` and `\` (servers that decode them would walk up the tree), backslashes, control
 * characters, double-encoded dots and slashes, and malformed percent-encoding. A trailing slash is
 * fine.
 *
 * Encoded slashes are refused even where a client meant one inside a segment (`auth.urls` encodes
 * a `/` in a path parameter as `%2F`): Camunda's keys and ids never contain one.
 *
 * @example
 * ```ts
 * unsafePathReason('/v2/topology')        // undefined
 * unsafePathReason('/v2/..%2f..%2fadmin') // 'an encoded slash or backslash'
 * ```
 */
export function unsafePathReason(path: string): string | undefined {
  if (path === '') return undefined
  if (!path.startsWith('/')) return 'the path must start with /'
  if (/[\\\u0000-\u001f\u007f]/.test(path)) return 'a backslash or control character'
  const segments = path.slice(1).split('/')
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!
    if (segment === '') {
      if (i === segments.length - 1) continue
      return 'an empty path segment (//)'
    }
    let decoded: string
    try {
      decoded = decodeURIComponent(segment)
    } catch {
      return 'malformed percent-encoding'
    }
    if (decoded === '.' || decoded === '..') return 'a . or .. segment'
    // `..;x` is `..` to servers that drop path parameters (Tomcat, some gateways): refuse `;` outright.
    if (decoded.includes(';')) return 'a ; in a path segment'
    // Full-width and other look-alike dots some servers fold to `.`.
    if (/^[.\u3002]+$/.test(decoded.normalize('NFKC'))) return 'a . or .. segment'
    if (/[/\\]/.test(decoded)) return 'an encoded slash or backslash'
    if (/[\u0000-\u001f\u007f]/.test(decoded)) return 'an encoded control character'
    if (/%(?:2e|2f|5c|00)/i.test(decoded)) return 'a double-encoded dot, slash or NUL'
  }
  return undefined
}

/**
 * The upstream URL for `path` and `search` under `base`, joined as `auth.urls` joins them (a base
 * that ends in `/v2` is not given a second `/v2`). Returns `undefined` if the result is not on the
 * base's origin and under its path: a last check that holds whatever the path checks missed.
 *
 * @example
 * ```ts
 * upstreamUrl('https://bru-2.zeebe.camunda.io/abc', '/v2/topology', '?x=1')
 * // URL https://bru-2.zeebe.camunda.io/abc/v2/topology?x=1
 * ```
 */
export function upstreamUrl(base: string, path: string, search: string): URL | undefined {
  const root = new URL(withoutTrailingSlashes(base))
  let target: URL
  try {
    target = new URL(joinUrl(root.href, path) + search)
  } catch {
    return undefined
  }
  const basePath = withoutTrailingSlashes(root.pathname)
  const within = target.pathname === basePath || target.pathname === `${basePath}/` || target.pathname.startsWith(`${basePath}/`)
  return target.origin === root.origin && within && target.username === '' && target.password === '' ? target : undefined
}
