/**
 * The slow parts of faults: waiting before an answer, and dribbling an answer's body out.
 * Both use real timers and stop when the request's `AbortSignal` fires.
 * @module
 */

/**
 * Wait `ms`, or reject with `signal.reason` as soon as the signal fires, just as `fetch` rejects
 * when its request is aborted.
 */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * A copy of `response` whose body arrives `bytes` at a time, one chunk every `intervalMs`.
 * The whole body is read first so the chunking does not depend on how the source was chunked.
 * If `signal` fires mid-way, the stream errors with its reason, as a real aborted download does.
 */
export async function trickle(response: Response, intervalMs: number, bytes = 4, signal?: AbortSignal): Promise<Response> {
  const data = new Uint8Array(await response.arrayBuffer())
  const step = Math.max(1, Math.floor(bytes))
  let offset = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let onAbort: (() => void) | undefined
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (!signal) return
      onAbort = () => {
        clearTimeout(timer)
        controller.error(signal.reason)
      }
      if (signal.aborted) onAbort()
      else signal.addEventListener('abort', onAbort, { once: true })
    },
    pull(controller) {
      return new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          // The first chunk waits too: "slow" includes a slow first byte of the body.
          controller.enqueue(data.slice(offset, offset + step))
          offset += step
          if (offset >= data.length) {
            if (onAbort) signal?.removeEventListener('abort', onAbort)
            controller.close()
          }
          resolve()
        }, intervalMs)
      })
    },
    cancel() {
      clearTimeout(timer)
      if (onAbort) signal?.removeEventListener('abort', onAbort)
    },
  })
  const headers = new Headers(response.headers)
  // The length is known, but leaving it out lets the body stream chunked over HTTP/1.1.
  headers.delete('content-length')
  return new Response(data.length === 0 ? null : body, { status: response.status, headers })
}
