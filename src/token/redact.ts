/**
 * Keeps secrets out of text that came from outside (an OAuth `error_description`, an exception
 * message), before it is put on an error or an event.
 * @module
 */

/**
 * `text` with every occurrence of each secret replaced by `[redacted]`, cut to `max` characters.
 * Secrets shorter than 4 characters are not searched for: they would redact ordinary words.
 *
 * @example
 * ```ts
 * redact('bad secret s3cr3t', ['s3cr3t']) // 'bad secret [redacted]'
 * ```
 */
export function redact(text: string, secrets: readonly (string | undefined)[], max = 500): string {
  let out = text
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]')
  }
  // A JWT-shaped string in server text is a token whatever it belongs to; so is a long unbroken
  // run of token characters with a digit in it (an opaque token, a key). Prose, error codes and
  // plain URLs have neither, so the text stays readable.
  out = out
    .replace(/eyJ[\w-]*\.[\w-]*\.[\w-]*/g, '[redacted]')
    .replace(/[\w\-.~+/]{24,}=*/g, (run) => (/\d/.test(run) ? '[redacted]' : run))
  return out.length > max ? `${out.slice(0, max)}…` : out
}
