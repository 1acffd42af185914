/**
 * What a store, coordinator or fetch threw, as the text an event carries.
 * @module
 */

import { redact } from '../token/redact.ts'

/**
 * `Name: message` of what was thrown, with anything token-shaped removed. Cut short only loosely
 * here: createAuth's emit removes every form of the secret, then cuts to 300 characters.
 */
export function errorMessage(error: unknown): string {
  return redact(error instanceof Error ? `${error.name}: ${error.message}` : String(error), undefined, 4_000)
}
