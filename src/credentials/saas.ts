/**
 * What is fixed about Camunda SaaS: its token host and the audience of each API.
 * @module
 */

import type { Api } from '../types.ts'

/**
 * The host of the SaaS token endpoint (`https://login.cloud.camunda.io/oauth/token`).
 */
export const SAAS_TOKEN_HOST = 'login.cloud.camunda.io'

/**
 * The audiences Camunda SaaS issues tokens for, by API: the defaults when a SaaS bundle names none.
 *
 * @example
 * ```ts
 * SAAS_AUDIENCES.operate // 'operate.camunda.io'
 * ```
 */
export const SAAS_AUDIENCES: Readonly<Record<Api, string>> = Object.freeze({
  zeebe: 'zeebe.camunda.io',
  operate: 'operate.camunda.io',
  tasklist: 'tasklist.camunda.io',
  optimize: 'optimize.camunda.io',
})
