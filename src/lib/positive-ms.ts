/**
 * Checking the durations a coordinator or store is given (lease, poll, timeout options).
 * @module
 */

import { InvalidArgumentError } from '../errors.ts'

/** Throws `InvalidArgumentError` naming the first of `values` that is given and not a number > 0. */
export function positiveMs(where: string, values: Record<string, number | undefined>): void {
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      throw new InvalidArgumentError(`${where}: ${name} must be a number of milliseconds > 0, got ${String(value)}`)
    }
  }
}
