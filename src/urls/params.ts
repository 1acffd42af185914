/**
 * Types that read `{name}` placeholders out of a path literal, so that a missing, extra or
 * misspelt path parameter is a compile error.
 * @module
 */

/**
 * A path parameter's value. Numbers must be safe integers: pass 64-bit keys as strings.
 *
 * @example
 * ```ts
 * const key: PathParamValue = '2251799813685249'
 * ```
 */
export type PathParamValue = string | number

/**
 * The names of the `{name}` placeholders in path `P`, as a union (`never` when there are none).
 *
 * @example
 * ```ts
 * type N = PathParamNames<'/v1/tasks/{taskId}/variables/{name}'> // 'taskId' | 'name'
 * ```
 */
export type PathParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? Name | PathParamNames<Rest> : never

/**
 * The params object path `P` needs: exactly its placeholders, or any names for a path only known as
 * `string` at compile time.
 *
 * @example
 * ```ts
 * const params: PathParams<'/v2/jobs/{jobKey}/completion'> = { jobKey: '42' }
 * ```
 */
export type PathParams<P extends string> = string extends P
  ? Readonly<Record<string, PathParamValue>>
  : { readonly [K in PathParamNames<P>]: PathParamValue }

/**
 * The argument list after the path: nothing for a path without placeholders, a required params
 * object for one with placeholders, an optional one for a dynamic `string` path.
 *
 * @example
 * ```ts
 * type A = PathParamsArgs<'/v2/topology'>          // []
 * type B = PathParamsArgs<'/v2/jobs/{jobKey}'>     // [params: { readonly jobKey: PathParamValue }]
 * type C = PathParamsArgs<string>                  // [params?: Readonly<Record<string, PathParamValue>>]
 * ```
 */
export type PathParamsArgs<P extends string> = string extends P
  ? [params?: PathParams<P>]
  : [PathParamNames<P>] extends [never]
    ? []
    : [params: PathParams<P>]
