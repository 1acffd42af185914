/**
 * The one do-nothing function: a settled promise's ignored outcome, a listener with nothing to do.
 * @module
 */

/** Does nothing. */
export function noop(): void {}
