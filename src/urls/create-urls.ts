/**
 * `createUrls`: typed URL builders for each Camunda 8 API, over the base URLs of a credential
 * bundle.
 * @module
 */

import { SAAS_TOKEN_HOST } from '../credentials/saas.ts'
import { MissingApiUrlError } from '../errors.ts'
import type { Api, Credentials } from '../types.ts'
import { fillPath } from './fill-path.ts'
import { joinUrl } from './join.ts'
import type { PathParamValue, PathParamsArgs } from './params.ts'
import type { KnownOperatePath, KnownOptimizePath, KnownTasklistPath, KnownZeebePath } from './paths.ts'

/**
 * Builds the full URL of one API's endpoint from a path and its path parameters.
 *
 * Known paths autocomplete; any other path is accepted too. The params argument is typed from the
 * path literal: required with exactly its `{name}` placeholders, absent for a path without any,
 * optional and free-form for a path typed as plain `string`.
 *
 * @example
 * ```ts
 * const build: UrlBuilder<KnownOperatePath> = urls.operate
 * build('/v1/process-instances/{key}', { key: '42' })
 * build('/v1/process-instances/search')
 * ```
 */
export type UrlBuilder<Known extends string> = <P extends Known | (string & {})>(path: P, ...params: PathParamsArgs<P>) => string

/**
 * A URL builder seen through a path only known as `string` at compile time. Every `UrlBuilder` is
 * assignable to it, which is how to call the builder of an API chosen at run time: TypeScript
 * cannot call a union of generic functions such as `urls[api]` directly.
 *
 * @example
 * ```ts
 * const build: DynamicUrlBuilder = urls[api]
 * build(path, params)
 * ```
 */
export type DynamicUrlBuilder = (path: string, params?: Readonly<Record<string, PathParamValue>>) => string

/**
 * One URL builder per API, as returned by `createUrls`.
 *
 * @example
 * ```ts
 * const urls: CamundaUrls = createUrls(credentials)
 * await fetch(urls.zeebe('/v2/topology'), { headers })
 * ```
 */
export interface CamundaUrls {
  /** The Orchestration Cluster REST API (v2), at ZEEBE_REST_ADDRESS. */
  readonly zeebe: UrlBuilder<KnownZeebePath>
  /** The Operate REST API (v1), at CAMUNDA_OPERATE_BASE_URL. */
  readonly operate: UrlBuilder<KnownOperatePath>
  /** The Tasklist REST API (v1), at CAMUNDA_TASKLIST_BASE_URL. */
  readonly tasklist: UrlBuilder<KnownTasklistPath>
  /** The Optimize public REST API, at CAMUNDA_OPTIMIZE_BASE_URL. */
  readonly optimize: UrlBuilder<KnownOptimizePath>
}

/**
 * Where each API's base URL comes from (its variable, the Console scope that grants it), for the
 * errors that say it is missing.
 */
export const API_URL_SOURCES: Readonly<Record<Api, { variable: string; scope: string; hint: string }>> = {
  zeebe: {
    variable: 'ZEEBE_REST_ADDRESS',
    scope: 'Zeebe',
    hint: ' (or CAMUNDA_REST_ADDRESS, or CAMUNDA_CLUSTER_ID and CAMUNDA_CLUSTER_REGION for SaaS)',
  },
  operate: { variable: 'CAMUNDA_OPERATE_BASE_URL', scope: 'Operate', hint: '' },
  tasklist: { variable: 'CAMUNDA_TASKLIST_BASE_URL', scope: 'Tasklist', hint: '' },
  optimize: { variable: 'CAMUNDA_OPTIMIZE_BASE_URL', scope: 'Optimize', hint: '' },
}

/**
 * Create URL builders for the APIs of a credential bundle.
 *
 * Creating them never throws. Calling the builder of an API whose base URL the bundle lacks throws
 * `MissingApiUrlError`, naming the variable to set and the Console scope that provides it. A wrong
 * path parameter throws `InvalidArgumentError` naming it (see `fillPath`): it is a bug in the
 * calling code.
 *
 * @example
 * ```ts
 * const urls = createUrls(parseCredentials(env))
 * urls.operate('/v1/process-instances/{key}', { key: '42' })
 * // 'https://syd-1.operate.camunda.io/abc/v1/process-instances/42'
 * urls.zeebe('/v2/topology')
 * ```
 */
export function createUrls(credentials: Pick<Credentials, 'baseUrls'> & Partial<Pick<Credentials, 'saas' | 'clusterId'>>): CamundaUrls {
  return Object.freeze({
    zeebe: builder(credentials, 'zeebe') as UrlBuilder<KnownZeebePath>,
    operate: builder(credentials, 'operate') as UrlBuilder<KnownOperatePath>,
    tasklist: builder(credentials, 'tasklist') as UrlBuilder<KnownTasklistPath>,
    optimize: builder(credentials, 'optimize') as UrlBuilder<KnownOptimizePath>,
  })
}

function builder(credentials: Pick<Credentials, 'baseUrls'> & Partial<Pick<Credentials, 'saas' | 'clusterId'>>, api: Api) {
  // Read once: the builders describe the bundle they were made from.
  // Own properties only: a base URL inherited from a polluted prototype is no base URL.
  const baseUrls = credentials?.baseUrls
  const base = baseUrls && Object.hasOwn(baseUrls, api) ? baseUrls[api] : undefined
  return (path: string, params?: Readonly<Record<string, PathParamValue>>): string => {
    if (base === undefined || base === '') {
      const { variable, scope, hint } = API_URL_SOURCES[api]
      // A Console file whose token URL was repointed (at a proxy, a test server) is no longer read
      // as SaaS: say so, or the missing derived URL is a mystery.
      const repointed =
        credentials.saas === false && credentials.clusterId !== undefined
          ? `. The bundle names a SaaS cluster (CAMUNDA_CLUSTER_ID) but its token URL is not ${SAAS_TOKEN_HOST}, so the SaaS defaults (the Zeebe URL from the cluster id and region, the *.camunda.io audiences) do not apply`
          : ''
      throw new MissingApiUrlError(api, variable, scope, hint + repointed)
    }
    return joinUrl(base, fillPath(path, params))
  }
}
