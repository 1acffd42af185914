/**
 * Put path parameters into a path template, percent-encoded.
 * @module
 */

import { InvalidArgumentError } from '../errors.ts'

import type { PathParamValue } from './params.ts'

const PLACEHOLDER = /\{([^{}]*)\}/g

/**
 * Replace each `{name}` in `path` with `params[name]`, encoded with `encodeURIComponent` (so `/`,
 * spaces and non-ASCII text stay inside one segment).
 *
 * A wrong call is a programming error, not a runtime condition to handle, so it throws
 * `InvalidArgumentError` naming the parameter (never its value): a placeholder without a param, a param
 * without a placeholder, a value that is not a string or a safe integer, an empty value, or `.` /
 * `..` (which `fetch` would resolve as "this" / "parent" directory, even percent-encoded).
 */
export function fillPath(path: string, params?: Readonly<Record<string, PathParamValue>>): string {
  const used = new Set<string>()
  const filled = path.replace(PLACEHOLDER, (_, name: string) => {
    if (params === undefined || !Object.hasOwn(params, name)) {
      throw new InvalidArgumentError(`Missing path parameter "${name}" for ${path}`)
    }
    used.add(name)
    return encodeParam(name, params[name])
  })
  if (params !== undefined) {
    for (const name of Object.keys(params)) {
      // Typos in dynamic paths would otherwise silently build the wrong URL.
      if (!used.has(name)) throw new InvalidArgumentError(`Unknown path parameter "${name}": ${path} has no {${name}}`)
    }
  }
  return filled
}

function encodeParam(name: string, value: unknown): string {
  let text: string
  if (typeof value === 'string') text = value
  else if (typeof value === 'number' && Number.isSafeInteger(value)) text = String(value)
  else throw new InvalidArgumentError(`Path parameter "${name}" must be a string or a safe integer (pass 64-bit keys as strings)`)

  if (text === '' || text === '.' || text === '..') {
    throw new InvalidArgumentError(`Path parameter "${name}" must not be empty, "." or ".."`)
  }
  try {
    return encodeURIComponent(text)
  } catch {
    // encodeURIComponent throws URIError on a lone surrogate.
    throw new InvalidArgumentError(`Path parameter "${name}" is not well-formed Unicode text`)
  }
}
