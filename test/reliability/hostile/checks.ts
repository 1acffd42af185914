/**
 * Invariants every hostile-input case must keep: prototypes untouched, only typed errors, no secret
 * in any error text, and no case that takes seconds.
 */
import { VARIABLES } from '../../../src/credentials/variables.ts'

/** The client secret planted in generated inputs; it must never surface in an error. */
export const SECRET = 'SENTINEL-secret-value-123'

/** The variables whose value is the client secret. */
export const SECRET_VARIABLES: ReadonlySet<string> = new Set([
  'ZEEBE_CLIENT_SECRET',
  'CAMUNDA_CLIENT_SECRET',
  'CAMUNDA_BASIC_AUTH_PASSWORD',
  'CAMUNDA_OAUTH_TOKEN',
  'CAMUNDA_CLIENT_ASSERTION_KEY',
])

/** Keys that pollute a prototype when copied naively. */
export const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype'] as const

/** A case slower than this counts as a hang. */
export const MAX_CASE_MS = 1_500

const PROTOTYPES = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
] as const

const PROBES = ['polluted', 'isAdmin', 'access_token', 'token_type', 'expires_in', 'clientSecret', ...VARIABLES]

type Snapshot = ReadonlyArray<ReadonlyMap<PropertyKey, readonly unknown[]>>

/** Every own key of the three prototypes with its value/getter/setter identity. */
export function snapshotPrototypes(): Snapshot {
  return PROTOTYPES.map(([, proto]) => {
    const map = new Map<PropertyKey, unknown[]>()
    for (const key of Reflect.ownKeys(proto)) {
      const d = Object.getOwnPropertyDescriptor(proto, key)!
      map.set(key, [d.value, d.get, d.set, d.writable, d.enumerable, d.configurable])
    }
    return map
  })
}

/**
 * Throws (so fast-check reports the case and its seed) if a prototype changed or a probe resolves.
 * A changed prototype is restored first, so that shrinking sees each case on its own.
 */
export function assertPrototypesClean(before: Snapshot): void {
  const after = snapshotPrototypes()
  const problems: string[] = []
  PROTOTYPES.forEach(([name, proto], i) => {
    const a = before[i]!
    const b = after[i]!
    for (const [key, was] of a) {
      const now = b.get(key)
      if (!now || now.some((v, j) => !Object.is(v, was[j]))) {
        problems.push(`${name}.${String(key)} was changed or removed`)
        const [value, get, set, writable, enumerable, configurable] = was as [
          unknown,
          (() => unknown) | undefined,
          ((v: unknown) => void) | undefined,
          boolean,
          boolean,
          boolean,
        ]
        Object.defineProperty(
          proto,
          key,
          get !== undefined || set !== undefined ? { get, set, enumerable, configurable } : { value, writable, enumerable, configurable },
        )
      }
    }
    for (const key of b.keys()) {
      if (!a.has(key)) {
        problems.push(`${name} gained own key ${String(key)}`)
        Reflect.deleteProperty(proto, key)
      }
    }
  })
  if (problems.length > 0) throw new Error(`prototype pollution: ${problems.join('; ')}`)
  const targets: Record<string, unknown>[] = [{}, [] as never, function probe() {} as never]
  for (const target of targets) {
    for (const key of PROBES) {
      if (target[key] !== undefined) throw new Error(`probe ${key} resolves on a fresh ${typeof target}`)
    }
  }
  if (Object.getPrototypeOf({}) !== Object.prototype) throw new Error('{} has a new prototype')
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? ''
  } catch (err) {
    return `<JSON.stringify threw ${String(err)}>`
  }
}

/** Every text an error exposes: message, stack, JSON form, issues, cause. */
export function errorTexts(err: unknown): string[] {
  const e = err as { message?: unknown; stack?: unknown; issues?: unknown; cause?: unknown }
  const out = [String(e.message), String(e.stack), safeStringify(err), String(err)]
  if (Array.isArray(e.issues))
    for (const i of e.issues as { variable: unknown; message: unknown }[]) out.push(String(i.variable), String(i.message))
  if (e.cause !== undefined) out.push(String(e.cause), safeStringify(e.cause))
  return out
}

/** Throws if any text of `err` contains `needle`. */
export function assertNotIn(err: unknown, needle: string, what: string): void {
  for (const text of errorTexts(err)) {
    if (text.includes(needle)) throw new Error(`${what} appears in the error: ${text.slice(0, 300)}`)
  }
}

/** Runs `fn` and throws if it took longer than MAX_CASE_MS. */
export function timed<T>(fn: () => T): T {
  const start = performance.now()
  const result = fn()
  const ms = performance.now() - start
  if (ms > MAX_CASE_MS) throw new Error(`case took ${Math.round(ms)} ms`)
  return result
}

/** Async twin of `timed`. */
export async function timedAsync<T>(fn: () => Promise<T>): Promise<T> {
  const start = performance.now()
  const result = await fn()
  const ms = performance.now() - start
  if (ms > MAX_CASE_MS) throw new Error(`case took ${Math.round(ms)} ms`)
  return result
}

/** Runs `fn`, returning what it returned or threw. */
export function outcome<T>(fn: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: fn() }
  } catch (error) {
    return { ok: false, error }
  }
}

/** Describes an unexpected error for a failure message. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.constructor.name}: ${err.message.slice(0, 300)}`
  return `non-Error ${typeof err}: ${String(err).slice(0, 100)}`
}
