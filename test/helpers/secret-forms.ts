/**
 * Every form a secret takes on the wire, or in a server's echo of what it was sent, and a check
 * for any run of 12 characters of them. Written with Node's Buffer, apart from
 * src/token/redact.ts, so the tests do not trust the code they check.
 */

/** A secret, and the identifier it is sent with in HTTP Basic. */
export interface WireSecret {
  readonly value: string
  readonly id?: string
}

/** The shortest run of a form that counts as a leak. */
export const RUN = 12

/** One part of an HTTP Basic header: form-encoded, space as `+` (RFC 6749 §2.3.1). */
export const basicPart = (text: string): string => encodeURIComponent(text).replace(/%20/g, '+')

/** The form-encoded body value, as `URLSearchParams` writes it (`~` as %7E, space as `+`). */
export const formBodyValue = (text: string): string => new URLSearchParams({ v: text }).toString().slice(2)

/** Each text form with its name, for test titles. */
export function textForms(value: string): Record<string, string> {
  return {
    literal: value,
    encodeURIComponent: encodeURIComponent(value),
    'form body (URLSearchParams)': formBodyValue(value),
    'HTTP Basic part': basicPart(value),
    'JSON-escaped': JSON.stringify(value).slice(1, -1),
  }
}

/**
 * The text forms, base64 of `id:secret` (raw and both parts form-encoded), and each text form's
 * base64 after 0, 1 or 2 other bytes, less the characters those bytes share.
 */
export function wireForms({ value, id }: WireSecret): string[] {
  const texts = Object.values(textForms(value))
  const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64')
  const aligned = texts.flatMap((text) =>
    [0, 1, 2].map((shift) => {
      const bytes = Buffer.concat([Buffer.alloc(shift), Buffer.from(text, 'utf8')])
      return bytes.toString('base64').slice([0, 2, 3][shift], Math.floor((bytes.length * 4) / 3))
    }),
  )
  return [...texts, ...(id === undefined ? [] : [base64(`${id}:${value}`), base64(`${basicPart(id)}:${basicPart(value)}`)]), ...aligned]
}

/** Every RUN-character piece of every form of `secrets` (the tests' secrets are longer than RUN). */
export function secretRuns(secrets: readonly WireSecret[]): ReadonlySet<string> {
  return new Set(
    secrets
      .flatMap(wireForms)
      .flatMap((form) => Array.from({ length: Math.max(0, form.length - RUN + 1) }, (_, at) => form.slice(at, at + RUN))),
  )
}

/** Where in `text` a run of RUN characters of `runs` starts, or -1. */
export function leakedRunAt(text: string, runs: ReadonlySet<string>): number {
  for (let at = 0; at + RUN <= text.length; at++) if (runs.has(text.slice(at, at + RUN))) return at
  return -1
}
