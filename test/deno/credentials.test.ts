/**
 * parseCredentials under Deno: from `Deno.env.toObject()`, and from the text of the files the
 * Camunda Console hands out, read with `Deno.readTextFile`.
 */

import { CredentialsError, parseCredentials } from '../../src/index.ts'
import { VARIABLES } from '../../src/credentials/variables.ts'
import { assertEquals, assertInstanceOf, thrownBy } from './assert.ts'
import { CLUSTER_ID, readFixture, SAAS_SECRET } from './fixtures.ts'

const SAAS_AUDIENCES = {
  zeebe: 'zeebe.camunda.io',
  operate: 'operate.camunda.io',
  tasklist: 'tasklist.camunda.io',
  optimize: 'optimize.camunda.io',
}

/** Runs `fn` with exactly `vars` as the bundle variables in this process's environment, then restores it. */
function withBundleEnv<T>(vars: Record<string, string>, fn: () => T): T {
  const saved = new Map(VARIABLES.map((name) => [name, Deno.env.get(name)]))
  try {
    for (const name of VARIABLES) Deno.env.delete(name)
    for (const [name, value] of Object.entries(vars)) Deno.env.set(name, value)
    return fn()
  } finally {
    for (const [name, value] of saved) value === undefined ? Deno.env.delete(name) : Deno.env.set(name, value)
  }
}

Deno.test("parseCredentials reads the bundle from Deno.env.toObject() among the process's other variables", () => {
  const credentials = withBundleEnv(
    {
      ZEEBE_CLIENT_ID: 'env-client',
      ZEEBE_CLIENT_SECRET: 'env-secret-0123456789',
      ZEEBE_AUTHORIZATION_SERVER_URL: 'https://login.cloud.camunda.io/oauth/token',
      CAMUNDA_CLUSTER_ID: CLUSTER_ID,
      CAMUNDA_CLUSTER_REGION: 'bru-2',
    },
    () => parseCredentials(Deno.env.toObject()),
  )
  assertEquals(credentials.clientId, 'env-client')
  assertEquals(credentials.clientSecret, 'env-secret-0123456789')
  assertEquals(credentials.saas, true)
  assertEquals(credentials.audiences.zeebe, 'zeebe.camunda.io')
  assertEquals(credentials.baseUrls.zeebe, `https://bru-2.zeebe.camunda.io/${CLUSTER_ID}`)
})

Deno.test('parseCredentials reads the Console download (export lines) with every base URL', async () => {
  const c = parseCredentials(await readFixture('saas-credentials.txt'))
  assertEquals(c.clientId, 'Xk3~pQ7rT2vW9yZ1_aB4cD6eF8gH0iJ2')
  assertEquals(c.clientSecret, SAAS_SECRET)
  assertEquals(c.tokenUrl, 'https://login.cloud.camunda.io/oauth/token')
  assertEquals(c.audiences, SAAS_AUDIENCES)
  assertEquals(c.grantedScopes, ['Zeebe', 'Tasklist', 'Operate', 'Optimize'])
  assertEquals([c.clusterId, c.region], [CLUSTER_ID, 'bru-2'])
  assertEquals(c.baseUrls, {
    zeebe: `https://bru-2.zeebe.camunda.io/${CLUSTER_ID}`,
    operate: `https://bru-2.operate.camunda.io/${CLUSTER_ID}`,
    tasklist: `https://bru-2.tasklist.camunda.io/${CLUSTER_ID}`,
    optimize: `https://bru-2.optimize.camunda.io/${CLUSTER_ID}`,
  })
})

Deno.test('parseCredentials reads a Self-Managed .env file and the same keys as JSON text', async () => {
  const fromEnvFile = parseCredentials(await readFixture('self-managed.env'))
  assertEquals(fromEnvFile.saas, false)
  assertEquals(fromEnvFile.tokenUrl, 'http://localhost:18080/auth/realms/camunda-platform/protocol/openid-connect/token')
  assertEquals(fromEnvFile.audiences, { zeebe: 'zeebe-api', operate: 'operate-api', tasklist: 'tasklist-api', optimize: 'optimize-api' })
  assertEquals(fromEnvFile.baseUrls.zeebe, 'http://localhost:8080')

  const fromJson = parseCredentials(await readFixture('credentials.json'))
  assertEquals(fromJson.clientSecret, SAAS_SECRET)
  assertEquals(fromJson.grantedScopes, ['Zeebe', 'Operate'])
  assertEquals(fromJson.baseUrls, {
    zeebe: `https://bru-2.zeebe.camunda.io/${CLUSTER_ID}`,
    operate: `https://bru-2.operate.camunda.io/${CLUSTER_ID}`,
  })
})

Deno.test('a bundle missing its secret and OAuth URL fails with one CredentialsError naming both', async () => {
  const text = await readFixture('broken-missing-secret.txt')
  const error = thrownBy(() => parseCredentials(text))
  assertInstanceOf(error, CredentialsError)
  assertEquals(error.code, 'ERR_CREDENTIALS_INVALID')
  assertEquals(
    error.issues.map((issue) => issue.variable),
    ['ZEEBE_CLIENT_SECRET', 'ZEEBE_AUTHORIZATION_SERVER_URL'],
  )
})
