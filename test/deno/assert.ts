/**
 * The few assertions the Deno tests need, written here so that `deno test` downloads nothing
 * (no `jsr:@std/assert`): failures say what was expected and what came.
 * @module
 */

export { rejectionOf, thrownBy } from '../helpers/thrown.ts'

/** Fails unless `condition` is truthy. */
export function assert(condition: unknown, message = 'expected a truthy value'): asserts condition {
  if (!condition) throw new Error(message)
}

/** Fails unless `actual` and `expected` are deeply equal (plain data: primitives, arrays, objects). */
export function assertEquals(actual: unknown, expected: unknown, message?: string): void {
  if (!deepEqual(actual, expected)) {
    throw new Error(`${message ? `${message}: ` : ''}expected ${Deno.inspect(expected)}, got ${Deno.inspect(actual)}`)
  }
}

/** Fails unless `text` contains `part`. */
export function assertIncludes(text: string, part: string): void {
  if (!text.includes(part)) throw new Error(`expected ${JSON.stringify(text)} to contain ${JSON.stringify(part)}`)
}

/** Fails if `text` contains `part`. The message does not repeat `part`: it may be a secret. */
export function assertExcludes(text: string, part: string, what = 'the text'): void {
  if (text.includes(part)) throw new Error(`${what} contains a value it must never contain`)
}

/** Fails unless `value` is an instance of `type`; narrows it. */
export function assertInstanceOf<T>(value: unknown, type: abstract new (...args: never[]) => T): asserts value is T {
  if (!(value instanceof type)) throw new Error(`expected an instance of ${type.name}, got ${Deno.inspect(value)}`)
}

/** What `promise` rejects with; fails if it resolves. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const keysA = Object.keys(a)
  const keysB = Object.keys(b)
  if (keysA.length !== keysB.length) return false
  return keysA.every((key) => Object.hasOwn(b, key) && deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
}
