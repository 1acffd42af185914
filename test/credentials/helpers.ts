import { expect } from 'vitest'
import { CredentialsError, type CredentialsIssue } from '../../src/errors.ts'
import { thrownBy } from '../helpers/thrown.ts'

/** Run `fn`, expect a CredentialsError, and return its issues. */
export function issuesOf(fn: () => unknown): readonly CredentialsIssue[] {
  const err = thrownBy(fn)
  expect(err).toBeInstanceOf(CredentialsError)
  return (err as CredentialsError).issues
}
