/**
 * A parser for the text of a credential file: the shell script the Camunda Console downloads
 * (`export KEY='value'`) and plain `.env` files (`KEY=value`).
 * @module
 */

import type { CredentialsIssue } from '../errors.ts'
import { isVariableName } from './variables.ts'

/**
 * What `parseDotenv` found: every `KEY=value` pair (last one wins) and every malformed line.
 */
export interface DotenvResult {
  /** Key → value, in a `Map` so that keys like `__proto__` are plain data. Values are not trimmed. */
  readonly entries: ReadonlyMap<string, string>
  /** Malformed lines, by variable name, or by `line N` where the line names no variable we know. */
  readonly issues: readonly CredentialsIssue[]
}

// A bundle with more broken lines than this is not a credential file; listing them all would only
// bury the useful ones (and make the error message huge).
const MAX_ISSUES = 20

// Keys as shells and dotenv libraries accept them; the dots and dashes are for Java-style .env files.
const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/
const EXPORT = /^export[ \t]+/
const BLANK = /^[ \t]*(?:#.*)?$/

/**
 * Parse the text of a credential file into its `KEY=value` pairs.
 *
 * Understands `export KEY='value'`, `KEY=value`, `KEY = value`, double quotes (with `\"`, `\\` and
 * `\n` escapes), single quotes (literal), quoted values spanning several lines, `#` comment lines,
 * ` #` comments after a value, blank lines and LF, CRLF or lone-CR line ends. A later duplicate key
 * replaces an earlier one. No value ever appears in an issue.
 */
export function parseDotenv(text: string): DotenvResult {
  const src = text.replace(/\r\n?/g, '\n')
  const entries = new Map<string, string>()
  const issues: CredentialsIssue[] = []
  let suppressed = 0
  const report = (variable: string, message: string): void => {
    if (issues.length < MAX_ISSUES) issues.push({ variable, message })
    else suppressed++
  }

  let pos = 0
  let line = 1
  while (pos < src.length) {
    const eol = endOfLine(src, pos)
    const raw = src.slice(pos, eol)
    const here = line
    const next = (): void => {
      pos = eol + 1
      line++
    }

    if (BLANK.test(raw)) {
      next()
      continue
    }
    const eq = raw.indexOf('=')
    if (eq < 0) {
      // Only a name we recognise is echoed: an unknown lone word might be a pasted secret.
      const word = raw.trim().replace(EXPORT, '')
      report(isVariableName(word) ? word : `line ${here}`, `line ${here} has no "=": expected KEY=value`)
      next()
      continue
    }
    const key = raw.slice(0, eq).trim().replace(EXPORT, '')
    if (!KEY.test(key)) {
      report(`line ${here}`, `line ${here} is not KEY=value: the name before "=" is not a variable name`)
      next()
      continue
    }

    let start = pos + eq + 1
    while (src[start] === ' ' || src[start] === '\t') start++
    const quote = src[start]
    if (quote !== "'" && quote !== '"') {
      // From just after "=", so that `KEY= # comment` is an empty value, as in a shell.
      entries.set(key, unquoted(src.slice(pos + eq + 1, eol)))
      next()
      continue
    }

    const closed = quote === "'" ? singleQuoted(src, start) : doubleQuoted(src, start)
    if (closed === undefined) {
      // Everything after an unclosed quote belongs to it, so there is nothing left to parse.
      report(key, `the ${quote === "'" ? 'single' : 'double'} quote opened on line ${here} is never closed`)
      break
    }
    entries.set(key, closed.value)
    line += countNewlines(src, start, closed.end)
    const restEnd = endOfLine(src, closed.end)
    if (!BLANK.test(src.slice(closed.end, restEnd))) {
      report(key, `line ${line} has unexpected text after the closing quote`)
    }
    pos = restEnd + 1
    line++
  }

  if (suppressed > 0) {
    issues.push({ variable: '(source)', message: `${suppressed} more malformed lines are not listed` })
  }
  return { entries, issues }
}

function endOfLine(src: string, from: number): number {
  const i = src.indexOf('\n', from)
  return i < 0 ? src.length : i
}

function countNewlines(src: string, from: number, to: number): number {
  let n = 0
  for (let i = src.indexOf('\n', from); i >= 0 && i < to; i = src.indexOf('\n', i + 1)) n++
  return n
}

// `KEY=value # comment`: as in shells, `#` starts a comment only after whitespace, so
// `KEY=a#b` keeps its `#`.
function unquoted(rest: string): string {
  const comment = rest.search(/[ \t]#/)
  return (comment < 0 ? rest : rest.slice(0, comment)).trim()
}

/** A quoted value and the index just past its closing quote. */
interface Quoted {
  readonly value: string
  readonly end: number
}

// Single quotes are literal, as in a shell: no escapes at all.
function singleQuoted(src: string, open: number): Quoted | undefined {
  const close = src.indexOf("'", open + 1)
  return close < 0 ? undefined : { value: src.slice(open + 1, close), end: close + 1 }
}

// Double quotes understand the escapes dotenv files use; any other backslash stays as written.
function doubleQuoted(src: string, open: number): Quoted | undefined {
  let value = ''
  for (let i = open + 1; i < src.length; i++) {
    const ch = src[i]
    if (ch === '"') return { value, end: i + 1 }
    if (ch === '\\' && i + 1 < src.length) {
      const esc = src[i + 1]
      if (esc === '"' || esc === '\\') value += esc
      else if (esc === 'n') value += '\n'
      else value += ch + esc
      i++
      continue
    }
    value += ch
  }
  return undefined
}
