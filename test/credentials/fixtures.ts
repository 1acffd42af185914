import { readFileSync } from 'node:fs'
import { fixtureUrl } from '../helpers/fixtures.ts'

export { CLUSTER_ID, SAAS_SECRET, SAAS_TOKEN_URL } from '../helpers/fixtures.ts'

/** The text of one shared fixture file (`shared/` beside the clone, as CI checks it out). */
export function readFixture(name: string): string {
  return readFileSync(fixtureUrl(name), 'utf8')
}

/** The smallest valid self-managed bundle, as an env object, to vary one variable at a time. */
export const MINIMAL = Object.freeze({
  ZEEBE_CLIENT_ID: 'my-client',
  ZEEBE_CLIENT_SECRET: 'my-very-secret-value',
  ZEEBE_AUTHORIZATION_SERVER_URL: 'https://idp.example.com/token',
})
