import { expect } from 'vitest'
import { CredentialsError, type CredentialsIssue } from '../../src/errors.ts'

/** Run `fn`, expect a CredentialsError, and return its issues. */
export function issuesOf(fn: () => unknown): readonly CredentialsIssue[] {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(CredentialsError)
    return (err as CredentialsError).issues
  }
  throw new Error('expected a CredentialsError, but nothing was thrown')
}
