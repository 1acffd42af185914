/**
 * Join a base URL and an API path into one URL.
 * @module
 */

const VERSION = /^v\d+$/

/**
 * Join `base` and `path` with exactly one slash. When the base already ends in the version segment
 * the path starts with (`CAMUNDA_REST_ADDRESS=https://host/v2` and `/v2/topology`), the version is
 * not repeated.
 */
export function joinUrl(base: string, path: string): string {
  const root = withoutTrailingSlashes(base)
  let rest = withoutLeadingSlashes(path)
  const first = rest.split(/[/?#]/, 1)[0] ?? ''
  if (VERSION.test(first) && lastPathSegment(root) === first) rest = withoutLeadingSlashes(rest.slice(first.length))
  return rest === '' ? root : rest.startsWith('?') || rest.startsWith('#') ? root + rest : `${root}/${rest}`
}

// The base's own path, not its host: `https://v2` has no version segment.
function lastPathSegment(base: string): string {
  let pathname: string
  try {
    pathname = new URL(base).pathname
  } catch {
    return ''
  }
  return pathname.slice(pathname.lastIndexOf('/') + 1)
}

/**
 * `text` without trailing slashes. A loop rather than /\/+$/, which backtracks quadratically on a
 * long run of slashes.
 */
export function withoutTrailingSlashes(text: string): string {
  let end = text.length
  while (end > 0 && text.charCodeAt(end - 1) === 0x2f) end--
  return text.slice(0, end)
}

function withoutLeadingSlashes(text: string): string {
  let start = 0
  while (start < text.length && text.charCodeAt(start) === 0x2f) start++
  return text.slice(start)
}
