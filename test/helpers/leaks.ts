/**
 * Checks that a secret is absent from text, on web APIs alone (the behaviour suite and the Deno
 * tests use them). A failure never quotes the text or the secret: either may hold it.
 */
import { assert } from 'chai'

/** Fails if `text` contains `part`, naming only `what` was searched. */
export function assertExcludes(text: string, part: string, what = 'the text'): void {
  if (text.includes(part)) assert.fail(`${what} contains a value it must never contain`)
}

/** Fails if any of `texts` holds a run of `length` characters of `secret`, naming only where the run starts. */
export function assertNoRunOf(texts: readonly string[], secret: string, length: number, what = 'the text'): void {
  for (let at = 0; at + length <= secret.length; at++) {
    const run = secret.slice(at, at + length)
    if (texts.some((text) => text.includes(run))) assert.fail(`${what} holds the ${length}-character run of the secret at index ${at}`)
  }
}

/**
 * What a value looks like written out: `JSON.stringify`; for an error its message, stack and
 * `String()`; and the runtime's own inspector (what `console.log` shows) where one is given.
 */
export function renderings(value: unknown, inspect?: (value: unknown) => string): string {
  const error = value instanceof Error ? `${value.message}\n${value.stack}\n${String(value)}` : ''
  return `${JSON.stringify(value)}\n${error}\n${inspect?.(value) ?? ''}`
}
