import { readFileSync } from 'node:fs'

/** The shared fixtures live beside the clone (CI checks `shared/` out next to it). */
export const FIXTURES = new URL('../../../shared/fixtures/', import.meta.url)

export function readFixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8')
}

export const SAAS_SECRET = 's3cr3t.Value~With-Specials_0123456789abcdefghijklmnopqrstuvwxyzAB'
export const CLUSTER_ID = '6f1c2a7e-3b5d-4c8e-9a0f-2d4b6c8e0a1b'
export const SAAS_TOKEN_URL = 'https://login.cloud.camunda.io/oauth/token'

/** The smallest valid self-managed bundle, as an env object, to vary one variable at a time. */
export const MINIMAL = Object.freeze({
  ZEEBE_CLIENT_ID: 'my-client',
  ZEEBE_CLIENT_SECRET: 'my-very-secret-value',
  ZEEBE_AUTHORIZATION_SERVER_URL: 'https://idp.example.com/token',
})
