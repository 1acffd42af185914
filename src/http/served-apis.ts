/**
 * Which Camunda APIs a broker or proxy serves, checked once at construction.
 * @module
 */

import { InvalidArgumentError } from '../errors.ts'

import { APIS, type Api } from '../types.ts'
import { isApi } from '../lib/is-api.ts'

/**
 * The APIs in `apis` (default: all four), in the stable order of `APIS`. An unknown name is a
 * configuration bug and throws `TypeError` naming the allowed ones.
 */
export function servedApis(apis: readonly string[] | undefined, where: string): readonly Api[] {
  if (apis === undefined) return APIS
  for (const api of apis) {
    if (!isApi(api)) throw new InvalidArgumentError(`${where}: unknown api "${String(api)}"; use ${APIS.join(', ')}`)
  }
  if (apis.length === 0) throw new InvalidArgumentError(`${where}: apis is empty; name at least one of ${APIS.join(', ')}`)
  return Object.freeze(APIS.filter((api) => apis.includes(api)))
}
