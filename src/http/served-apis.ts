/**
 * Which Camunda APIs a broker or proxy serves, checked once at construction.
 * @module
 */

import { APIS, type Api } from '../types.ts'

/**
 * The APIs in `apis` (default: all four), in the stable order of `APIS`. An unknown name is a
 * configuration bug and throws `TypeError` naming the allowed ones.
 *
 * @example
 * ```ts
 * servedApis(['operate', 'zeebe'], 'createTokenBroker') // ['zeebe', 'operate']
 * ```
 */
export function servedApis(apis: readonly string[] | undefined, where: string): readonly Api[] {
  if (apis === undefined) return APIS
  for (const api of apis) {
    if (!isApi(api)) throw new TypeError(`${where}: unknown api "${String(api)}"; use ${APIS.join(', ')}`)
  }
  if (apis.length === 0) throw new TypeError(`${where}: apis is empty; name at least one of ${APIS.join(', ')}`)
  return Object.freeze(APIS.filter((api) => apis.includes(api)))
}

/**
 * Whether `value` names a Camunda API. Looks the name up in the list, never on an object, so
 * `__proto__` or `toString` are simply not APIs.
 *
 * @example
 * ```ts
 * isApi('operate') // true
 * isApi('admin')   // false
 * ```
 */
export function isApi(value: unknown): value is Api {
  return typeof value === 'string' && (APIS as readonly string[]).includes(value)
}
