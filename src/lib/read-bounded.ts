/**
 * Reading a body whose size the sender controls: a token endpoint's answer, a broker request, a
 * request to the dev server. A `Content-Length` may lie, so the bytes are counted as they arrive.
 * @module
 */

/**
 * The body as text, or `undefined` once it passes `maxBytes` (the rest is cancelled). With a
 * `signal`, an abort cancels the read and rejects with the signal's reason, so a trickled body is
 * bounded in time too.
 */
export async function readBoundedText(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  signal?: AbortSignal,
): Promise<string | undefined> {
  if (!body) return ''
  const reader = body.getReader()
  const cancel = () => void reader.cancel().catch(() => {})
  signal?.addEventListener('abort', cancel, { once: true })
  const decoder = new TextDecoder()
  let text = ''
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (signal?.aborted) throw signal.reason
      if (done) return text + decoder.decode()
      size += value.byteLength
      if (size > maxBytes) {
        cancel()
        return undefined
      }
      text += decoder.decode(value, { stream: true })
    }
  } finally {
    signal?.removeEventListener('abort', cancel)
  }
}
