/**
 * JSON from outside (a store's value, a token endpoint's body) that may be anything.
 * @module
 */

/** The value of JSON `text`, or `undefined` when there is none or it is not JSON: "nothing here". */
export function parseJson(text: string | null | undefined): unknown {
  if (typeof text !== 'string') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
