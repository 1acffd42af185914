/**
 * The shape every stored record, JSON body and lease has: a plain object, not null, not an array.
 * @module
 */

/** Whether `value` is a plain JSON-style object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
