/**
 * Turn whatever the caller handed to `parseCredentials` into the raw values of the recognised
 * variables: an env object, the text of a credential file, or JSON text.
 * @module
 */

import { CredentialsError, type CredentialsIssue } from '../errors.ts'
import { parseDotenv } from './dotenv.ts'
import { VARIABLES, isVariableName, type RawVariables } from './variables.ts'

// The largest source text accepted: a real bundle is under 2 KiB, so this only stops abuse.
const MAX_SOURCE_LENGTH = 1024 * 1024

/**
 * The recognised variables found in a source, and any syntax problems met on the way.
 */
export interface SourceReading {
  /** A null-prototype object holding only recognised variable names. */
  readonly values: RawVariables
  readonly issues: readonly CredentialsIssue[]
}

const SOURCE = '(source)'
// One line, no `=`, shaped like a path (`./credentials.txt`, `~/Downloads/x`, `C:\…`, a file name
// with an extension): someone passed where the bundle is instead of what it says.
const FILE_PATH = /^(?:[~.]{0,2}\/|[A-Za-z]:[\\/]|file:)[^\n=]*$|^[^\s=/]+\.(?:txt|env|json|sh)$/i
// C0 controls other than tab/LF/CR, DEL, and U+FFFD (what a decoder leaves of invalid UTF-8):
// text containing them is binary data, not a credential file.
const BINARY = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFD]/

/**
 * Read the recognised variables out of `source`.
 *
 * Throws `CredentialsError` (variable `(source)`) when `source` is not something a bundle can be
 * read from; everything else is returned as issues so that the caller can report all at once.
 */
export function readSource(source: unknown): SourceReading {
  if (typeof source === 'string') return readText(source)
  if (isEnvObject(source)) return readEnvObject(source)
  throw sourceError(
    'must be an env object (process.env, Deno.env.toObject(), a Worker env), ' + 'the text of a credential file, or JSON text',
  )
}

function readText(text: string): SourceReading {
  if (text.length > MAX_SOURCE_LENGTH) throw sourceError('is larger than 1 MiB: not a credential bundle')
  // A BOM is what Windows editors put in front of UTF-8 text; it is not part of the first key.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  if (BINARY.test(body)) throw sourceError('contains binary data: expected text')
  if (body.trimStart().startsWith('{')) return readJson(body)
  if (FILE_PATH.test(body.trim())) {
    throw sourceError(
      "looks like a file path, not the file's text: read the file and pass its text, e.g. " +
        "parseCredentials(readFileSync(path, 'utf8')) in Node, parseCredentials(await Deno.readTextFile(path)) in Deno",
    )
  }

  const { entries, issues } = parseDotenv(body)
  const values: Record<string, unknown> = Object.create(null)
  for (const [key, value] of entries) if (isVariableName(key)) values[key] = value
  return { values, issues }
}

function readJson(text: string): SourceReading {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    // The parser's own message quotes the input, which may hold the secret: never pass it on.
    throw sourceError('is not valid JSON')
  }
  if (!isEnvObject(parsed)) throw sourceError('must be a JSON object of variable names to strings')
  return readEnvObject(parsed)
}

// Only own properties with recognised names are touched, so inherited values, Worker bindings and
// keys such as `__proto__` are never read, let alone copied.
function readEnvObject(env: object): SourceReading {
  const values: Record<string, unknown> = Object.create(null)
  const issues: CredentialsIssue[] = []
  for (const name of VARIABLES) {
    try {
      if (!Object.hasOwn(env, name)) continue
      const value: unknown = (env as Record<string, unknown>)[name]
      // `{ ZEEBE_CLIENT_ID: process.env.X }` with X unset is a common way to say "absent".
      if (value !== undefined) values[name] = value
    } catch {
      // A throwing getter or Proxy trap: say which variable, never what it threw.
      issues.push({ variable: name, message: 'could not be read' })
    }
  }
  return { values, issues }
}

function isEnvObject(value: unknown): value is object {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer)
  )
}

function sourceError(message: string): CredentialsError {
  return new CredentialsError([{ variable: SOURCE, message }])
}
