/**
 * Where an API's bearer token may go: under the API's base URL, on its origin, by a path that
 * cannot climb out of it. Shared by `auth.fetch` and the API proxy, so both refuse the same paths.
 * @module
 */

import { joinUrl, withoutTrailingSlashes } from './join.ts'

/**
 * Why `path` is refused, or `undefined` when it is safe to put under a base URL. Refused: empty
 * segments (`//`, which could start another authority), `.` and `..` segments in any encoding,
 * encoded `/` and `\` (servers that decode them would walk up the tree), backslashes, control
 * characters, double-encoded dots and slashes, and malformed percent-encoding. A trailing slash is
 * fine.
 *
 * Encoded slashes are refused even where a client meant one inside a segment (`auth.urls` encodes
 * a `/` in a path parameter as `%2F`): Camunda's keys and ids never contain one.
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
 */
export function upstreamUrl(base: string, path: string, search: string): URL | undefined {
  const root = new URL(withoutTrailingSlashes(base))
  let target: URL
  try {
    target = new URL(joinUrl(root.href, path) + search)
  } catch {
    return undefined
  }
  return isUnderBase(root, target) ? target : undefined
}

/**
 * Whether `url` is on the origin of `base` and under its path, with no user info: the only places
 * an API's bearer token may be sent. Both are parsed URLs, so `..` and `%2e%2e` are already resolved.
 */
export function isUnderBase(base: URL, url: URL): boolean {
  const basePath = withoutTrailingSlashes(base.pathname)
  const within = url.pathname === basePath || url.pathname === `${basePath}/` || url.pathname.startsWith(`${basePath}/`)
  return url.origin === base.origin && within && url.username === '' && url.password === ''
}
