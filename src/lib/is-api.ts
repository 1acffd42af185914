/**
 * Telling an API name from any other string that untyped code passes in.
 * @module
 */

import { UnknownApiError } from '../errors.ts'
import { APIS, type Api } from '../types.ts'

/** Whether `value` names a Camunda API: looked up in the list, never on an object, so `__proto__` or `toString` are not APIs. */
export function isApi(value: unknown): value is Api {
  return typeof value === 'string' && (APIS as readonly string[]).includes(value)
}

/** The rejection every method of an auth object gives a name that is not an API. */
export function unknownApi(api: unknown): Promise<never> {
  return Promise.reject(new UnknownApiError(api, APIS))
}
