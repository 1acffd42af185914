/**
 * API URLs: typed builders for the Zeebe, Operate, Tasklist and Optimize REST APIs over the base
 * URLs of a credential bundle.
 *
 * @example
 * ```ts
 * import { createUrls } from 'camunda-edge-auth'
 *
 * const urls = createUrls(credentials)
 * urls.zeebe('/v2/user-tasks/{userTaskKey}/completion', { userTaskKey: '2251799813685249' })
 * ```
 * @module
 */

export { createUrls, type CamundaUrls, type DynamicUrlBuilder, type UrlBuilder } from './create-urls.ts'
export type { KnownOperatePath, KnownOptimizePath, KnownTasklistPath, KnownZeebePath } from './paths.ts'
export type { PathParamNames, PathParamValue, PathParams, PathParamsArgs } from './params.ts'
