/**
 * Standard base64 of text as UTF-8, the one encoding of `user:password` an HTTP Basic header
 * carries (RFC 7617 §2.1): the header is built and redacted with the same function.
 * @module
 */

/** `text` as UTF-8 bytes, in standard base64 with padding. */
export const base64Utf8 = (text: string): string => btoa(String.fromCharCode(...new TextEncoder().encode(text)))
