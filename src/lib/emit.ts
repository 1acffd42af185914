/**
 * How the parts of an auth object report what happened.
 * @module
 */

import type { AuthEvent } from '../types.ts'

/** Hands an event to the auth object's `onEvent`; it never throws. */
export type Emit = (event: AuthEvent) => void
