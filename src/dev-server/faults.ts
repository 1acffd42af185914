/**
 * Fault injection for the token endpoint: what a fault can be, and the FIFO queue that hands the
 * next one to each token request.
 * @module
 */

import { InvalidArgumentError } from '../errors.ts'

/**
 * The malformed 200 answers a fault can ask for.
 *
 * @example
 * ```ts
 * server.inject({ body: 'truncated-json' satisfies MalformedBody })
 * ```
 */
export type MalformedBody = 'html' | 'truncated-json' | 'empty' | 'no-access-token' | 'wrong-token-type'

/**
 * The keywords of {@link MalformedBody}, for checks at run time.
 *
 * @example
 * ```ts
 * for (const body of MALFORMED_BODIES) server.inject({ body })
 * ```
 */
export const MALFORMED_BODIES: readonly MalformedBody[] = Object.freeze([
  'html',
  'truncated-json',
  'empty',
  'no-access-token',
  'wrong-token-type',
])

/**
 * How to shape the JWT of an otherwise normal answer.
 *
 * @example
 * ```ts
 * server.inject({ jwt: { exp: Math.floor(Date.now() / 1000) - 60 } }) // already expired
 * ```
 */
export interface JwtShape {
  /** `exp` as absolute epoch seconds, or `null` to leave the claim out. */
  readonly exp?: number | null
  /** `iat` as absolute epoch seconds, or `null` to leave the claim out. */
  readonly iat?: number | null
  /** Send three segments whose payload is not base64url JSON. */
  readonly malformed?: true
}

/**
 * One fault for the next token request(s). Fields combine and apply in this order:
 *
 * 1. `delayMs` — wait before answering; stops (the fetch rejects with the signal's reason) if the
 *    request's `AbortSignal` fires.
 * 2. `reset` — no answer at all: `server.fetch` throws {@link ConnectionResetError} and the Node
 *    listener destroys the socket.
 * 3. `status` — an arbitrary answer: `headers` and `body` as given (a string is sent as is, anything
 *    else as JSON). Without `body`, a fitting OAuth error body is sent (none for 3xx); without
 *    `headers`, 429 gets `Retry-After: 1` and 3xx a `Location`. `headers`, when given, replace
 *    those defaults.
 * 4. `body` without `status` — one of the {@link MalformedBody} 200 answers.
 * 5. Otherwise a real token, shaped by `expiresIn`, `jwt` and `opaque`.
 *
 * `trickleMs` then streams whatever the answer's body is a few bytes per interval. The fault
 * answers `times` requests (default 1).
 *
 * Faults that replace the answer (`reset`, `status`, a malformed `body`) skip validation and the
 * rate limit. Faults that shape it (`delayMs`, `trickleMs`, `expiresIn`, `jwt`, `opaque`) leave
 * them in force: a wrong secret still gets 401, slowly if so asked. Either way the request is
 * logged and counts in its client's rate-limit window.
 *
 * @example
 * ```ts
 * server.inject({ status: 503, headers: { 'retry-after': '2' }, times: 2 })
 * server.inject({ delayMs: 500, trickleMs: 20 })
 * ```
 */
export interface DevFault {
  readonly delayMs?: number
  readonly reset?: true
  readonly status?: number
  readonly headers?: HeadersInit
  readonly body?: MalformedBody | string | Record<string, unknown> | readonly unknown[]
  /** Replace `expires_in`: any number or string as given, or `null` to leave it out. */
  readonly expiresIn?: number | string | null
  readonly jwt?: JwtShape
  /** Issue an opaque (non-JWT) access token. */
  readonly opaque?: true
  /** Stream the body a few bytes (`trickleBytes`, default 4) every `trickleMs`. */
  readonly trickleMs?: number
  readonly trickleBytes?: number
  /** How many token requests this fault answers. Default 1. */
  readonly times?: number
}

/**
 * What `inject` accepts: a fault, or a status as shorthand for `{ status }`. The status 200 stands
 * for "answer normally", so `[503, 503, 200]` reads as "fail twice, then succeed".
 *
 * @example
 * ```ts
 * server.inject([503, { status: 429, headers: { 'retry-after': '2' } }, 200])
 * ```
 */
export type FaultInput = DevFault | number

/**
 * The queue of pending faults.
 *
 * @example
 * ```ts
 * server.faults.inject([502, 200])
 * server.faults.pending // 2
 * server.faults.clear()
 * ```
 */
export interface FaultQueue {
  /** Queue one fault, or several in order. */
  inject(fault: FaultInput | readonly FaultInput[]): void
  /** How many token requests still have a fault waiting. */
  readonly pending: number
  /** Drop every pending fault. */
  clear(): void
  /** Take the fault for the next token request, if any. */
  next(): DevFault | undefined
}

/**
 * Validate a fault when it is injected, so a typo fails the test that made it, not a later request.
 */
export function normalizeFault(input: FaultInput): DevFault {
  if (typeof input === 'number') {
    checkStatus(input)
    return input === 200 ? {} : { status: input }
  }
  if (input.status !== undefined) checkStatus(input.status)
  if (input.status === undefined && input.body !== undefined && !MALFORMED_BODIES.includes(input.body as MalformedBody)) {
    throw new InvalidArgumentError(`a fault body without status must be one of ${MALFORMED_BODIES.join(', ')}`)
  }
  for (const key of ['delayMs', 'trickleMs', 'trickleBytes', 'times'] as const) {
    const v = input[key]
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new InvalidArgumentError(`fault ${key} must be a number >= 0`)
  }
  return input
}

function checkStatus(status: number): void {
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    throw new InvalidArgumentError(`fault status must be an integer from 200 to 599, got ${status}`)
  }
}

/**
 * A FIFO of faults, each answering `times` requests.
 */
export function createFaultQueue(): FaultQueue {
  const queue: { fault: DevFault; left: number }[] = []
  return {
    inject(input) {
      const list: readonly FaultInput[] = Array.isArray(input) ? input : [input as FaultInput]
      // Validate all before queueing any, so a bad entry leaves the queue untouched.
      const faults = list.map(normalizeFault)
      for (const fault of faults) {
        const left = fault.times ?? 1
        if (left > 0) queue.push({ fault, left })
      }
    },
    get pending() {
      return queue.reduce((n, entry) => n + entry.left, 0)
    },
    clear() {
      queue.length = 0
    },
    next() {
      const head = queue[0]
      if (!head) return undefined
      if (--head.left === 0) queue.shift()
      return head.fault
    },
  }
}
