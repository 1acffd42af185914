/**
 * parseCredentials on every runtime: an env object, the Console's download, a Self-Managed .env
 * file, JSON text, and one CredentialsError naming every variable a bad bundle gets wrong.
 * @module
 */
import { assert } from 'chai'
import { SAAS_AUDIENCES } from '../../src/dev-server.ts'
import { CredentialsError, parseCredentials } from '../../src/index.ts'
import { CLUSTER_ID, SAAS_SECRET, SAAS_TOKEN_URL } from '../helpers/fixtures.ts'
import { thrownBy } from '../helpers/thrown.ts'
import type { BehaviourGroup } from './case.ts'

const saasBaseUrl = (api: string) => `https://bru-2.${api}.camunda.io/${CLUSTER_ID}`

export const credentials: BehaviourGroup = {
  name: 'credentials',
  cases: [
    {
      name: "an env object is read among a process's unrelated variables, with the SaaS audience and Zeebe URL derived",
      async run() {
        const credentials = parseCredentials({
          PATH: '/usr/local/bin:/usr/bin',
          HOME: '/home/app',
          LANG: 'C.UTF-8',
          NODE_ENV: 'production',
          ZEEBE_CLIENT_ID: 'env-client',
          ZEEBE_CLIENT_SECRET: 'env-secret-0123456789',
          ZEEBE_AUTHORIZATION_SERVER_URL: SAAS_TOKEN_URL,
          CAMUNDA_CLUSTER_ID: CLUSTER_ID,
          CAMUNDA_CLUSTER_REGION: 'bru-2',
        })
        assert.strictEqual(credentials.clientId, 'env-client')
        assert.strictEqual(credentials.clientSecret, 'env-secret-0123456789')
        assert.strictEqual(credentials.saas, true)
        assert.strictEqual(credentials.audiences.zeebe, 'zeebe.camunda.io')
        assert.strictEqual(credentials.baseUrls.zeebe, saasBaseUrl('zeebe'))
      },
    },
    {
      name: "the Console's download (export KEY='value' lines) gives every base URL, the scopes and the SaaS audiences",
      async run({ fixtures }) {
        const c = parseCredentials(fixtures['saas-credentials.txt'])
        assert.strictEqual(c.clientId, 'Xk3~pQ7rT2vW9yZ1_aB4cD6eF8gH0iJ2')
        assert.strictEqual(c.clientSecret, SAAS_SECRET)
        assert.strictEqual(c.tokenUrl, SAAS_TOKEN_URL)
        assert.deepEqual(c.audiences, SAAS_AUDIENCES)
        assert.deepEqual(c.grantedScopes, ['Zeebe', 'Tasklist', 'Operate', 'Optimize'])
        assert.deepEqual([c.clusterId, c.region], [CLUSTER_ID, 'bru-2'])
        assert.deepEqual(c.baseUrls, {
          zeebe: saasBaseUrl('zeebe'),
          operate: saasBaseUrl('operate'),
          tasklist: saasBaseUrl('tasklist'),
          optimize: saasBaseUrl('optimize'),
        })
      },
    },
    {
      name: 'a Self-Managed .env file (KEY=value, comments) gives its loopback URLs and per-component audiences',
      async run({ fixtures }) {
        const c = parseCredentials(fixtures['self-managed.env'])
        assert.strictEqual(c.saas, false)
        assert.strictEqual(c.tokenUrl, 'http://localhost:18080/auth/realms/camunda-platform/protocol/openid-connect/token')
        assert.deepEqual(c.audiences, { zeebe: 'zeebe-api', operate: 'operate-api', tasklist: 'tasklist-api', optimize: 'optimize-api' })
        assert.strictEqual(c.baseUrls.zeebe, 'http://localhost:8080')
      },
    },
    {
      name: 'JSON text with the same keys gives the secret, the granted scopes and only the base URLs it grants',
      async run({ fixtures }) {
        const c = parseCredentials(fixtures['credentials.json'])
        assert.strictEqual(c.clientSecret, SAAS_SECRET)
        assert.deepEqual(c.grantedScopes, ['Zeebe', 'Operate'])
        assert.deepEqual(c.baseUrls, { zeebe: saasBaseUrl('zeebe'), operate: saasBaseUrl('operate') })
      },
    },
    {
      name: 'a bundle missing its secret and OAuth URL fails with one CredentialsError naming both variables',
      async run({ fixtures }) {
        const error = thrownBy(() => parseCredentials(fixtures['broken-missing-secret.txt']))
        assert.instanceOf(error, CredentialsError)
        assert.strictEqual(error.code, 'ERR_CREDENTIALS_INVALID')
        assert.deepEqual(
          error.issues.map((issue) => issue.variable),
          ['ZEEBE_CLIENT_SECRET', 'ZEEBE_AUTHORIZATION_SERVER_URL'],
        )
      },
    },
  ],
}
