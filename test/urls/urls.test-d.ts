import { describe, expectTypeOf, it } from 'vitest'
import type {
  CamundaUrls,
  DynamicUrlBuilder,
  KnownOperatePath,
  KnownOptimizePath,
  KnownTasklistPath,
  KnownZeebePath,
  PathParamNames,
  PathParamValue,
  PathParams,
  UrlBuilder,
} from '../../src/urls/index.ts'

declare const urls: CamundaUrls

describe('URL builder types', () => {
  it('reads placeholder names from the path literal', () => {
    expectTypeOf<PathParamNames<'/v1/tasks/{taskId}/variables/{name}'>>().toEqualTypeOf<'taskId' | 'name'>()
    expectTypeOf<PathParamNames<'/v2/topology'>>().toEqualTypeOf<never>()
    expectTypeOf<PathParams<'/v2/jobs/{jobKey}'>>().toEqualTypeOf<{ readonly jobKey: string | number }>()
  })

  it('returns a string for known and unknown paths', () => {
    expectTypeOf(urls.zeebe('/v2/topology')).toEqualTypeOf<string>()
    expectTypeOf(urls.operate('/v1/process-instances/{key}', { key: '42' })).toEqualTypeOf<string>()
    expectTypeOf(urls.tasklist('/v1/tasks/{taskId}/assign', { taskId: 1 })).toEqualTypeOf<string>()
    expectTypeOf(urls.optimize('/api/public/report/{reportId}', { reportId: 'r' })).toEqualTypeOf<string>()
    expectTypeOf(urls.zeebe('/v2/not-yet-known/{id}', { id: 'x' })).toEqualTypeOf<string>()
  })

  it('offers the known paths of each API', () => {
    expectTypeOf<'/v2/topology'>().toExtend<KnownZeebePath>()
    expectTypeOf<'/v1/process-instances/{key}'>().toExtend<KnownOperatePath>()
    expectTypeOf<'/v1/drd/search' | '/v1/drd/{key}' | '/v1/drd/{key}/xml'>().toExtend<KnownOperatePath>()
    expectTypeOf<'/v1/decision-requirements/{key}'>().not.toExtend<KnownOperatePath>()
    expectTypeOf<'/v1/tasks/{taskId}/variables'>().toExtend<KnownTasklistPath>()
    expectTypeOf<'/api/public/report/{reportId}' | '/api/ingestion/variable'>().toExtend<KnownOptimizePath>()
    expectTypeOf<'/api/public/ingestion/variable'>().not.toExtend<KnownOptimizePath>()
    expectTypeOf<Parameters<CamundaUrls['zeebe']>[0]>().toEqualTypeOf<KnownZeebePath | (string & {})>()
  })

  it("knows the client's newer routes: batch operations, memberships, mapping rules, usage metrics", () => {
    expectTypeOf<
      | '/v2/batch-operations/{batchOperationKey}/cancellation'
      | '/v2/batch-operations/{batchOperationKey}/suspension'
      | '/v2/batch-operations/{batchOperationKey}/resumption'
      | '/v2/batch-operation-items/search'
      | '/v2/process-instances/cancellation'
      | '/v2/tenants/{tenantId}/users/{username}'
      | '/v2/groups/{groupId}/mapping-rules/{mappingRuleId}'
      | '/v2/roles/{roleId}/clients/{clientId}'
      | '/v2/mapping-rules/{mappingRuleId}'
      | '/v2/system/usage-metrics'
    >().toExtend<KnownZeebePath>()
    // The 8.8 client has no such route; it was typed by hand before the list was generated.
    expectTypeOf<'/v2/forms/{formKey}'>().not.toExtend<KnownZeebePath>()
  })

  it("takes the client's parameter names on the newer routes", () => {
    expectTypeOf<PathParams<'/v2/batch-operations/{batchOperationKey}/cancellation'>>().toEqualTypeOf<{
      readonly batchOperationKey: PathParamValue
    }>()
    expectTypeOf<PathParamNames<'/v2/tenants/{tenantId}/users/{username}'>>().toEqualTypeOf<'tenantId' | 'username'>()
    expectTypeOf(
      urls.zeebe('/v2/roles/{roleId}/mapping-rules/{mappingRuleId}', { roleId: 'r', mappingRuleId: 'm' }),
    ).toEqualTypeOf<string>()
    expectTypeOf(urls.zeebe('/v2/system/usage-metrics')).toEqualTypeOf<string>()
    // @ts-expect-error — a membership needs both its keys
    urls.zeebe('/v2/groups/{groupId}/users/{username}', { groupId: 'g' })
    // @ts-expect-error — the client calls it mappingRuleId
    urls.zeebe('/v2/mapping-rules/{mappingRuleId}', { mappingRuleKey: 'm' })
    // @ts-expect-error — the client calls it userTaskKey
    urls.zeebe('/v2/user-tasks/{userTaskKey}', { taskKey: '1' })
    // @ts-expect-error — usage metrics takes its range as query parameters, not path parameters
    urls.zeebe('/v2/system/usage-metrics', { startTime: '2025-01-01T00:00:00Z' })
  })

  it('requires exactly the placeholders of a literal path', () => {
    // @ts-expect-error — missing params for a path with a placeholder
    urls.operate('/v1/process-instances/{key}')
    // @ts-expect-error — a required param is missing from the object
    urls.zeebe('/v2/jobs/{jobKey}/completion', {})
    // @ts-expect-error — extra param next to the right one
    urls.operate('/v1/process-instances/{key}', { key: '42', extra: '1' })
    // @ts-expect-error — wrong param name
    urls.tasklist('/v1/tasks/{taskId}', { taskID: '1' })
    // @ts-expect-error — params on a path without placeholders
    urls.zeebe('/v2/topology', { key: '1' })
    // @ts-expect-error — a value must be a string or a number
    urls.operate('/v1/incidents/{key}', { key: true })
  })

  it('allows optional free-form params for a path typed as plain string', () => {
    const path: string = '/v2/whatever'
    expectTypeOf(urls.zeebe(path)).toEqualTypeOf<string>()
    expectTypeOf(urls.zeebe(path, { anything: 1 })).toEqualTypeOf<string>()
  })

  it('lets the builder of an API chosen at run time be called through DynamicUrlBuilder', () => {
    const api = 'operate' as keyof CamundaUrls
    const build: DynamicUrlBuilder = urls[api]
    expectTypeOf(build('/x')).toEqualTypeOf<string>()
    expectTypeOf<UrlBuilder<KnownZeebePath>>().toExtend<DynamicUrlBuilder>()
  })
})
