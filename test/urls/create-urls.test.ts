import { describe, expect, it } from 'vitest'
import { parseCredentials } from '../../src/credentials/index.ts'
import { MissingApiUrlError } from '../../src/errors.ts'
import { createUrls, type DynamicUrlBuilder } from '../../src/urls/index.ts'
import { APIS } from '../../src/types.ts'
import { CLUSTER_ID, MINIMAL, readFixture } from '../credentials/fixtures.ts'
import { thrownBy } from '../helpers/thrown.ts'
import { InvalidArgumentError } from '../../src/errors.ts'

const caught = thrownBy

describe('createUrls with each fixture', () => {
  it('saas-credentials.txt: every API on its SaaS host', () => {
    const urls = createUrls(parseCredentials(readFixture('saas-credentials.txt')))
    expect(urls.zeebe('/v2/topology')).toBe(`https://bru-2.zeebe.camunda.io/${CLUSTER_ID}/v2/topology`)
    expect(urls.operate('/v1/process-instances/{key}', { key: '42' })).toBe(
      `https://bru-2.operate.camunda.io/${CLUSTER_ID}/v1/process-instances/42`,
    )
    expect(urls.tasklist('/v1/tasks/{taskId}/complete', { taskId: '7' })).toBe(
      `https://bru-2.tasklist.camunda.io/${CLUSTER_ID}/v1/tasks/7/complete`,
    )
    expect(urls.optimize('/api/public/dashboard/{dashboardId}', { dashboardId: 'd-1' })).toBe(
      `https://bru-2.optimize.camunda.io/${CLUSTER_ID}/api/public/dashboard/d-1`,
    )
  })

  it('saas-zeebe-only.txt: Zeebe works, the others name their variable and scope', () => {
    const urls = createUrls(parseCredentials(readFixture('saas-zeebe-only.txt')))
    expect(urls.zeebe('/v2/process-instances/{processInstanceKey}/cancellation', { processInstanceKey: '2251799813685249' })).toBe(
      'https://syd-1.zeebe.camunda.io/0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d/v2/process-instances/2251799813685249/cancellation',
    )
    for (const [api, variable, scope] of [
      ['operate', 'CAMUNDA_OPERATE_BASE_URL', 'Operate'],
      ['tasklist', 'CAMUNDA_TASKLIST_BASE_URL', 'Tasklist'],
      ['optimize', 'CAMUNDA_OPTIMIZE_BASE_URL', 'Optimize'],
    ] as const) {
      const build: DynamicUrlBuilder = urls[api]
      const err = caught(() => build('/anything'))
      expect(err).toBeInstanceOf(MissingApiUrlError)
      expect(err).toMatchObject({ code: 'ERR_API_URL_MISSING', api, variable, scope })
      expect((err as Error).message).toContain(variable)
      expect((err as Error).message).toContain(`${scope} scope`)
    }
  })

  it('saas-8.8-rest.txt: Zeebe from ZEEBE_REST_ADDRESS, Operate from its base URL', () => {
    const urls = createUrls(parseCredentials(readFixture('saas-8.8-rest.txt')))
    expect(urls.zeebe('/v2/user-tasks/search')).toBe(`https://bru-2.zeebe.camunda.io/${CLUSTER_ID}/v2/user-tasks/search`)
    expect(urls.operate('/v1/incidents/search')).toBe(`https://bru-2.operate.camunda.io/${CLUSTER_ID}/v1/incidents/search`)
    expect(() => urls.tasklist('/v1/tasks/search')).toThrow(MissingApiUrlError)
  })

  it('self-managed.env: each component on its loopback port', () => {
    const urls = createUrls(parseCredentials(readFixture('self-managed.env')))
    expect(urls.zeebe('/v2/topology')).toBe('http://localhost:8080/v2/topology')
    expect(urls.operate('/v1/process-definitions/{key}/xml', { key: 1 })).toBe('http://localhost:8081/v1/process-definitions/1/xml')
    expect(urls.tasklist('/v1/forms/{formId}', { formId: 'userTaskForm_1' })).toBe('http://localhost:8082/v1/forms/userTaskForm_1')
    expect(urls.optimize('/api/public/report')).toBe('http://localhost:8083/api/public/report')
  })

  it('credentials.json: Zeebe derived for SaaS, Operate given', () => {
    const urls = createUrls(parseCredentials(readFixture('credentials.json')))
    expect(urls.zeebe('/v2/license')).toBe(`https://bru-2.zeebe.camunda.io/${CLUSTER_ID}/v2/license`)
    expect(urls.operate('/v1/variables/{key}', { key: '9' })).toBe(`https://bru-2.operate.camunda.io/${CLUSTER_ID}/v1/variables/9`)
  })
})

describe('joining base and path', () => {
  it('builds the documented Operate example', () => {
    const urls = createUrls(parseCredentials({ ...MINIMAL, CAMUNDA_OPERATE_BASE_URL: 'https://syd-1.operate.camunda.io/abc' }))
    expect(urls.operate('/v1/process-instances/{key}', { key: '42' })).toBe('https://syd-1.operate.camunda.io/abc/v1/process-instances/42')
  })

  it('does not repeat a version the base already ends with', () => {
    const urls = createUrls({ baseUrls: { zeebe: 'https://x.example.com/v2', operate: 'https://o.example.com/ctx/v1/' } })
    expect(urls.zeebe('/v2/topology')).toBe('https://x.example.com/v2/topology')
    expect(urls.operate('/v1/incidents/search')).toBe('https://o.example.com/ctx/v1/incidents/search')
  })

  it('keeps a different version, and a host that only looks like a version', () => {
    const urls = createUrls({ baseUrls: { zeebe: 'https://x.example.com/v1', operate: 'http://v1:8081' } })
    expect(urls.zeebe('/v2/topology')).toBe('https://x.example.com/v1/v2/topology')
    expect(urls.operate('/v1/incidents/search')).toBe('http://v1:8081/v1/incidents/search')
  })

  it('joins with exactly one slash whatever the slashes on either side', () => {
    const urls = createUrls({ baseUrls: { zeebe: 'https://x.example.com/c///' } })
    expect(urls.zeebe('v2/topology')).toBe('https://x.example.com/c/v2/topology')
    expect(urls.zeebe('///v2/topology')).toBe('https://x.example.com/c/v2/topology')
    expect(urls.zeebe('')).toBe('https://x.example.com/c')
  })

  it('accepts paths it does not know, with query strings', () => {
    const urls = createUrls({ baseUrls: { zeebe: 'https://x.example.com' } })
    expect(urls.zeebe('/v2/something-new/{id}?page=2', { id: 'a' })).toBe('https://x.example.com/v2/something-new/a?page=2')
  })
})

describe('path parameters', () => {
  const urls = createUrls({ baseUrls: { tasklist: 'https://t.example.com' } })

  it('percent-encodes "/", spaces, "?", "#" and unicode so each value stays one segment', () => {
    expect(urls.tasklist('/v1/tasks/{taskId}', { taskId: 'a/b c?d#e' })).toBe('https://t.example.com/v1/tasks/a%2Fb%20c%3Fd%23e')
    expect(urls.tasklist('/v1/variables/{variableId}', { variableId: 'Zürich-東京-🚀' })).toBe(
      `https://t.example.com/v1/variables/${encodeURIComponent('Zürich-東京-🚀')}`,
    )
    expect(new URL(urls.tasklist('/v1/tasks/{taskId}', { taskId: '../admin' })).pathname).toBe('/v1/tasks/..%2Fadmin')
  })

  it('fills several placeholders and accepts safe-integer numbers', () => {
    const build: DynamicUrlBuilder = urls.tasklist
    expect(build('/v1/{a}/x/{b}', { a: 1, b: 'two' })).toBe('https://t.example.com/v1/1/x/two')
  })

  it('throws an InvalidArgumentError naming a missing parameter (a programming error)', () => {
    const build: DynamicUrlBuilder = urls.tasklist
    expect(() => build('/v1/tasks/{taskId}')).toThrow(new InvalidArgumentError('Missing path parameter "taskId" for /v1/tasks/{taskId}'))
    expect(() => build('/v1/tasks/{taskId}', {})).toThrow(InvalidArgumentError)
  })

  it('throws an InvalidArgumentError naming an unknown parameter', () => {
    const build: DynamicUrlBuilder = urls.tasklist
    expect(() => build('/v1/tasks/{taskId}', { taskId: '1', taskid: '1' })).toThrow(/Unknown path parameter "taskid"/)
  })

  it.each([
    ['an empty string', ''],
    ['"."', '.'],
    ['".."', '..'],
    ['an unsafe integer', 2 ** 53 + 2],
    ['a fraction', 1.5],
    ['NaN', Number.NaN],
    ['null', null],
    ['an object', {}],
    ['a lone surrogate', '\uD800'],
  ])('refuses %s as a value with an InvalidArgumentError', (_, value) => {
    const build = urls.tasklist as (path: string, params: Record<string, unknown>) => string
    expect(() => build('/v1/tasks/{taskId}', { taskId: value })).toThrow(InvalidArgumentError)
  })

  it('never echoes a parameter value in the error', () => {
    const build = urls.tasklist as (path: string, params: Record<string, unknown>) => string
    expect(() => build('/v1/tasks/{taskId}', { taskId: { toString: () => 'private' } })).toThrow(/^(?!.*private)/)
  })
})

describe('missing base URLs', () => {
  it('creating the builders never throws, even for an empty bundle', () => {
    expect(() => createUrls({ baseUrls: {} })).not.toThrow()
    expect(Object.isFrozen(createUrls({ baseUrls: {} }))).toBe(true)
  })

  it('names the Zeebe variable with its alternatives', () => {
    const err = caught(() => createUrls({ baseUrls: {} }).zeebe('/v2/topology'))
    expect(err).toBeInstanceOf(MissingApiUrlError)
    expect(err).toMatchObject({ api: 'zeebe', variable: 'ZEEBE_REST_ADDRESS', scope: 'Zeebe' })
    expect((err as Error).message).toContain('or CAMUNDA_REST_ADDRESS, or CAMUNDA_CLUSTER_ID and CAMUNDA_CLUSTER_REGION for SaaS')
  })

  it('throws for every API of a bundle without base URLs', () => {
    const urls = createUrls(parseCredentials(MINIMAL))
    for (const api of APIS) {
      const build: DynamicUrlBuilder = urls[api]
      expect(() => build('/x')).toThrow(MissingApiUrlError)
    }
  })
})
