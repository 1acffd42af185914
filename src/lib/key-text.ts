/**
 * A private key's text without its line breaks and spacing, real or `\n`-escaped: the same key
 * however a file, a `.env` or a secret manager wrote it, for what is derived from it (store keys,
 * sealing keys).
 * @module
 */

/** `key` with every whitespace run and every `\n` escape removed. */
export const compactKeyText = (key: string): string => key.replace(/\\n/g, '').replace(/\s+/g, '')
