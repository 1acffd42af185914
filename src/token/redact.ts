/**
 * Keeps secrets out of text that came from outside (an OAuth `error_description`, an exception
 * message), before it is put on an error or an event.
 *
 * A server may echo what it was sent, whole or cut short: the form body (the secret
 * form-encoded), the Basic header (base64 of `id:secret`), JSON with the secret escaped. So every
 * 12-character piece of every form a secret takes is looked for, and each run of them is cut out.
 * Everything here is linear in the text, which is cut before it is scanned.
 * @module
 */

import { base64Utf8 } from '../lib/base64.ts'
import type { Credentials } from '../types.ts'

/**
 * A secret to keep out of text, and the identifier sent with it, if any: HTTP Basic sends
 * `base64(id:secret)`.
 */
export interface Secret {
  readonly value: string
  readonly id?: string
}

/**
 * What `redact` looks for, by length: every 12-character piece of every form of some secrets, and
 * whole forms shorter than that. Built once per credential set by `redactor`.
 */
export type Redactor = ReadonlyMap<number, ReadonlySet<string>>

/** The shortest run of a secret's form that is cut out; a shorter form is matched whole. */
const RUN = 12
const REDACTED = '[redacted]'
const NONE: Redactor = new Map()

/**
 * One part of an HTTP Basic header, form-encoded as RFC 6749 §2.3.1 asks (space as `+`).
 */
export function formEncode(value: string): string {
  // A lone surrogate goes as U+FFFD, as URLSearchParams sends it: encodeURIComponent throws on it.
  return encodeURIComponent(value.replace(/[\ud800-\udfff]/gu, '\ufffd')).replace(/%20/g, '+')
}

/** `text` as UTF-8, one character per byte: what `btoa` takes. `unescape` turns %XX back into bytes. */
const utf8 = (text: string): string => unescape(formEncode(text).replace(/\+/g, '%20'))

/**
 * The pieces of every form `secrets` take on the wire or in an echo of it: literal,
 * `encodeURIComponent`, form-encoded (as URLSearchParams and as HTTP Basic encode), JSON-escaped,
 * base64 of `id:secret` (raw and with both parts form-encoded), and each text form's base64 at
 * the three byte alignments. Secrets shorter than 4 characters are left out (they would redact
 * ordinary words), except in the base64 of `id:secret`.
 */
export function redactor(secrets: readonly Secret[]): Redactor {
  const pieces = new Map<number, Set<string>>()
  // Every RUN-character piece of a form, or a shorter form whole.
  const add = (form: string) => {
    const length = Math.min(form.length, RUN)
    const set = pieces.get(length) ?? new Set()
    pieces.set(length, set)
    for (let at = 0; at + length <= form.length; at++) set.add(form.slice(at, at + length))
  }
  for (const { value, id } of secrets) {
    if (!value) continue
    const form = formEncode(value)
    // Before the length check: the base64 of id:value is long and unambiguous even when value is not.
    if (id !== undefined) add(base64Utf8(`${id}:${value}`)), add(btoa(`${formEncode(id)}:${form}`))
    if (value.length < 4) continue
    for (const text of [
      value,
      form,
      form.replace(/\+/g, '%20'),
      new URLSearchParams({ value }).toString().slice(6),
      JSON.stringify(value).slice(1, -1),
    ]) {
      const bytes = utf8(text)
      add(text)
      // After 0, 1 or 2 other bytes, less the characters shared with them and with what follows.
      for (const shift of [0, 1, 2]) add(btoa('\0'.repeat(shift) + bytes).slice([0, 2, 3][shift], ((shift + bytes.length) * 4) / 3))
    }
  }
  return pieces
}

const byCredentials = new WeakMap<Credentials, Redactor>()

/**
 * The redactor of a credential bundle: every secret it holds — the client secret (with the client
 * id, for HTTP Basic), the Basic password (with the user name), the static token and the private
 * key in each of its encodings. Built on first use and kept as long as the bundle, so the pieces
 * are not recomputed per error.
 */
export function credentialsRedactor(credentials: Credentials): Redactor {
  let pieces = byCredentials.get(credentials)
  if (!pieces) {
    const { clientSecret, clientId, password, username, staticToken, clientAssertionKey } = credentials
    pieces = redactor([
      { value: clientSecret, id: clientId },
      { value: password, id: username },
      { value: staticToken },
      ...(clientAssertionKey ? keyForms(clientAssertionKey) : []),
    ])
    byCredentials.set(credentials, pieces)
  }
  return pieces
}

/**
 * A private key as text, and the forms it may be written in elsewhere: the PEM's base64 body on
 * one line (standard and base64url), and a JWK's private members (base64url and standard base64).
 */
function keyForms(key: string): Secret[] {
  const forms = [key, key.replace(/\\n/g, '\n')]
  const body = /-----BEGIN [A-Z ]+-----([\s\S]*?)-----END/.exec(forms[1]!)?.[1]?.replace(/\s+/g, '')
  const members: string[] = []
  try {
    const jwk = JSON.parse(key) as Record<string, unknown>
    for (const name of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) if (typeof jwk[name] === 'string') members.push(jwk[name] as string)
  } catch {
    // A PEM, not a JWK.
  }
  for (const text of [...(body ? [body] : []), ...members]) {
    const plain = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '')
    forms.push(plain, plain.replace(/\+/g, '-').replace(/\//g, '_'))
  }
  return forms.map((value) => ({ value }))
}

/**
 * `text` with every run of `secrets`' pieces and anything token-shaped replaced by `[redacted]`,
 * cut to `max` characters. Only the first `4 · max + 12` characters are read, so a hostile 64 KiB
 * answer costs what a short one does.
 */
export function redact(text: string, secrets: Redactor = NONE, max = 500): string {
  const limit = 4 * max + RUN
  const cut = text.length > limit
  const scanned = cut ? text.slice(0, limit) : text
  const hit = new Uint8Array(scanned.length)
  for (const [length, pieces] of secrets) {
    for (let at = 0; at + length <= scanned.length; at++) {
      if (pieces.has(scanned.slice(at, at + length))) hit.fill(1, at, at + length)
    }
  }
  // A form cut at the limit may end in a piece no window saw whole: those last characters go too.
  const end = cut ? limit - RUN + 1 : scanned.length
  let out = ''
  for (let i = 0; i < end; i++) out += hit[i] ? (hit[i - 1] ? '' : REDACTED) : scanned[i]
  // A JWT-shaped string in server text is a token whatever it belongs to; so is a long unbroken
  // run of token characters with a digit in it (an opaque token, a key). Prose, error codes and
  // plain URLs have neither, so the text stays readable. A JWT starts only where a run of [\w-]
  // starts: from every 'eyJ' of 'eyJeyJ…', the search would backtrack quadratically. (A group, not
  // a lookbehind, which Safari before 16.4 cannot even parse.)
  out = out
    .replace(/(^|[^\w-])eyJ[\w-]*\.[\w-]*\.[\w-]*/g, `$1${REDACTED}`)
    .replace(/[\w\-.~+/]{24,}=*/g, (run) => (/\d/.test(run) ? REDACTED : run))
  return cut || out.length > max ? `${out.slice(0, max)}…` : out
}

/**
 * Whether `text` holds a piece of any of `secrets`' forms: for text shown whole or not at all
 * (a claim, a version), where `redact`'s token-shape rule would also cut harmless identifiers.
 */
export function holdsSecret(text: string, secrets: Redactor): boolean {
  for (const [length, pieces] of secrets) {
    for (let at = 0; at + length <= text.length; at++) if (pieces.has(text.slice(at, at + length))) return true
  }
  return false
}
