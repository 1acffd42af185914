/**
 * The dev server's small Orchestration Cluster: the four v2 routes the internal tool uses, with
 * the 8.8 shapes (checked by the official client's own strict validation), its status codes for a
 * completed task and a task someone else holds, `page` pagination, and the bearer token checked
 * for the Zeebe audience.
 */
import { createCamundaClient } from '@camunda8/orchestration-cluster-api'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createDevAuthServer } from '../../src/dev-server.ts'
import { listenDevAuthServer, type ListeningDevAuthServer } from '../../src/dev-server-node.ts'
import { formRequest, GOOD } from './helpers.ts'

const server = createDevAuthServer({ rateLimit: false })
const tokenFor = async (audience: string) =>
  ((await (await server.fetch(formRequest({ ...GOOD, audience }))).json()) as { access_token: string }).access_token

let zeebeToken = ''
/** A POST to a v2 route with a Zeebe token (or the headers given). */
async function post(path: string, body?: unknown, headers: Record<string, string> = { authorization: `Bearer ${zeebeToken}` }) {
  const response = await server.fetch(`http://127.0.0.1/zeebe${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
  const text = await response.text()
  return { status: response.status, type: response.headers.get('content-type'), body: text === '' ? undefined : JSON.parse(text) }
}

const openTasks = () => server.cluster.userTasks().filter((task) => task.state === 'CREATED')

beforeAll(async () => {
  zeebeToken = await tokenFor('zeebe.camunda.io')
})
beforeEach(() => server.cluster.reset())

describe('the dev cluster: user tasks', () => {
  it('is seeded with six open user tasks, one already assigned, each in its own active process instance', () => {
    const tasks = server.cluster.userTasks()
    expect(tasks).toHaveLength(6)
    expect(tasks.every((task) => task.state === 'CREATED')).toBe(true)
    expect(tasks.filter((task) => task.assignee !== undefined).map((task) => task.assignee)).toEqual(['lena'])
    const instances = server.cluster.processInstances()
    expect(instances.map((i) => i.processInstanceKey)).toEqual(tasks.map((t) => t.processInstanceKey))
    expect(instances.every((instance) => instance.state === 'ACTIVE')).toBe(true)
  })

  it('searches with a filter, sorts, and answers { items, page: { totalItems, … } }', async () => {
    const all = await post('/v2/user-tasks/search', {
      filter: { state: 'CREATED', name: 'Approve invoice' },
      sort: [{ field: 'priority', order: 'DESC' }],
    })
    expect(all.status).toBe(200)
    expect(all.body.page).toMatchObject({ totalItems: 3, hasMoreTotalItems: false })
    const priorities = all.body.items.map((task: { priority: number }) => task.priority)
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a))
    expect(all.body.items[0]).not.toHaveProperty('variables')

    const unassigned = await post('/v2/user-tasks/search', { filter: { assignee: { $exists: false } } })
    expect(unassigned.body.page.totalItems).toBe(5)
    const finance = await post('/v2/user-tasks/search', {
      filter: { candidateGroup: 'finance', processInstanceKey: { $in: [openTasks()[0]!.processInstanceKey] } },
    })
    expect(finance.body.items.map((t: { userTaskKey: string }) => t.userTaskKey)).toEqual([openTasks()[0]!.userTaskKey])
  })

  it('pages with page.from and page.limit, and with the cursors it hands out', async () => {
    const first = await post('/v2/user-tasks/search', { page: { from: 0, limit: 4 } })
    const second = await post('/v2/user-tasks/search', { page: { from: 4, limit: 4 } })
    expect(first.body.items).toHaveLength(4)
    expect(second.body.items).toHaveLength(2)
    expect(first.body.page.totalItems).toBe(6)
    const keys = [...first.body.items, ...second.body.items].map((t: { userTaskKey: string }) => t.userTaskKey)
    expect(keys).toEqual(server.cluster.userTasks().map((t) => t.userTaskKey))

    const after = await post('/v2/user-tasks/search', { page: { after: first.body.page.endCursor, limit: 4 } })
    expect(after.body.items).toEqual(second.body.items)
    const before = await post('/v2/user-tasks/search', { page: { before: second.body.page.startCursor, limit: 2 } })
    expect(before.body.items).toEqual(first.body.items.slice(2))
  })

  it('assigns a task, and refuses with 409 to take a task someone else holds when allowOverride is false', async () => {
    const [free, held] = [openTasks()[0]!, openTasks().find((task) => task.assignee === 'lena')!]
    expect((await post(`/v2/user-tasks/${free.userTaskKey}/assignment`, { assignee: 'demo', allowOverride: false })).status).toBe(204)
    expect(server.cluster.userTasks()[0]!.assignee).toBe('demo')

    const refused = await post(`/v2/user-tasks/${held.userTaskKey}/assignment`, { assignee: 'demo', allowOverride: false })
    expect(refused).toMatchObject({ status: 409, type: 'application/problem+json' })
    expect(refused.body).toMatchObject({
      title: 'INVALID_STATE',
      status: 409,
      detail: `Command 'CLAIM' rejected with code 'INVALID_STATE': Expected to claim user task with key '${held.userTaskKey}', but it has already been assigned`,
    })
    expect(server.cluster.userTasks().find((task) => task.userTaskKey === held.userTaskKey)!.assignee).toBe('lena')

    // The API's default reassigns, as 8.8 does.
    expect((await post(`/v2/user-tasks/${held.userTaskKey}/assignment`, { assignee: 'demo' })).status).toBe(204)
    expect((await post(`/v2/user-tasks/${held.userTaskKey}/assignment`, { assignee: '' })).status).toBe(400)
  })

  it('completes a task with variables, completes its process instance, and answers 404 for the completed task', async () => {
    const task = openTasks()[1]!
    const done = await post(`/v2/user-tasks/${task.userTaskKey}/completion`, { variables: { approved: true, note: 'ok' } })
    expect(done.status).toBe(204)
    expect(server.cluster.variables(task.userTaskKey)).toEqual({ approved: true, note: 'ok' })
    const completed = server.cluster.userTasks().find((t) => t.userTaskKey === task.userTaskKey)!
    expect(completed).toMatchObject({ state: 'COMPLETED', completionDate: expect.any(String) })
    expect(server.cluster.processInstances().find((i) => i.processInstanceKey === task.processInstanceKey)).toMatchObject({
      state: 'COMPLETED',
      endDate: expect.any(String),
    })

    const again = await post(`/v2/user-tasks/${task.userTaskKey}/completion`, {})
    expect(again).toMatchObject({ status: 404, type: 'application/problem+json' })
    expect(again.body.detail).toBe(
      `Command 'COMPLETE' rejected with code 'NOT_FOUND': Expected to complete user task with key '${task.userTaskKey}', but no such user task was found`,
    )
    expect((await post(`/v2/user-tasks/${task.userTaskKey}/assignment`, { assignee: 'demo' })).status).toBe(404)
    // An empty body completes without variables.
    expect((await post(`/v2/user-tasks/${openTasks()[0]!.userTaskKey}/completion`)).status).toBe(204)
  })

  it('searches process instances by key', async () => {
    const keys = openTasks()
      .slice(0, 2)
      .map((task) => task.processInstanceKey)
    const found = await post('/v2/process-instances/search', { filter: { processInstanceKey: { $in: keys } } })
    expect(found.status).toBe(200)
    expect(found.body.items.map((i: { processInstanceKey: string }) => i.processInstanceKey)).toEqual(keys)
    expect(found.body.items[0]).toMatchObject({ processDefinitionName: expect.any(String), state: 'ACTIVE', hasIncident: false })
  })
})

describe('the dev cluster: refused requests', () => {
  it('answers 401 without a bearer token, and for a token of another audience, and changes nothing', async () => {
    const key = openTasks()[0]!.userTaskKey
    expect((await post(`/v2/user-tasks/${key}/completion`, {}, {})).status).toBe(401)
    const operate = await post(`/v2/user-tasks/${key}/completion`, {}, { authorization: `Bearer ${await tokenFor('operate.camunda.io')}` })
    expect(operate.status).toBe(401)
    expect(openTasks().map((t) => t.userTaskKey)).toContain(key)
  })

  it('names what is wrong in a bad search: an unknown filter field, operator, page or body', async () => {
    const cases: [unknown, RegExp][] = [
      [{ filter: { creationDate: { $gt: 'x' } } }, /cannot filter by "creationDate".*rehearsal stage.*state, assignee/],
      [{ filter: { state: { $regex: 'x' } } }, /unknown operator "\$regex"/],
      [{ page: { from: -1 } }, /page\.from must be a whole number/],
      [{ page: { limit: 0 } }, /page\.limit must be a whole number from 1/],
      [{ page: { from: 0, after: 'x' } }, /only one of them/],
      [{ page: { after: 'bm90IGEgY3Vyc29y' } }, /cursor from an earlier answer/],
      [{ sort: [{ field: 'assignee' }] }, /cannot sort by "assignee"/],
      [{ pagination: {} }, /unknown property "pagination"/],
      ['not json', /must be a JSON object/],
    ]
    for (const [body, reason] of cases) {
      const answer = await post('/v2/user-tasks/search', body)
      expect(answer.status, JSON.stringify(body)).toBe(400)
      expect(answer.body.detail, JSON.stringify(body)).toMatch(reason)
    }
    expect((await post('/v2/user-tasks/not-a-key/completion', {})).status).toBe(400)
    const get = await server.fetch('http://127.0.0.1/zeebe/v2/user-tasks/search', { headers: { authorization: `Bearer ${zeebeToken}` } })
    expect(get.status).toBe(405)
  })
})

describe('the dev cluster through the official client, with its strict request and response validation', () => {
  let dev: ListeningDevAuthServer
  beforeAll(async () => {
    dev = await listenDevAuthServer(server)
  })
  afterAll(() => dev.close())

  const client = () =>
    createCamundaClient({
      env: {},
      config: {
        CAMUNDA_AUTH_STRATEGY: 'OAUTH',
        CAMUNDA_OAUTH_URL: dev.tokenUrl,
        CAMUNDA_CLIENT_ID: 'dev-client',
        CAMUNDA_CLIENT_SECRET: 'dev-secret',
        CAMUNDA_TOKEN_AUDIENCE: 'zeebe.camunda.io',
        CAMUNDA_REST_ADDRESS: `${dev.url}/zeebe`,
        CAMUNDA_SDK_LOG_LEVEL: 'silent',
        CAMUNDA_SDK_VALIDATION: 'req:strict,res:strict',
      },
    } as Parameters<typeof createCamundaClient>[0])

  it('searches, assigns, completes and finds the instance as @camunda8/orchestration-cluster-api 8.8 expects', async () => {
    const camunda = client()
    const page = await camunda.searchUserTasks(
      { filter: { state: 'CREATED' }, page: { from: 0, limit: 2 } },
      { consistency: { waitUpToMs: 0 } },
    )
    expect(page.items).toHaveLength(2)
    expect(Number(page.page.totalItems)).toBe(6)
    const task = page.items[0]!
    await camunda.assignUserTask({ userTaskKey: task.userTaskKey, assignee: 'demo', allowOverride: false })
    await camunda.completeUserTask({ userTaskKey: task.userTaskKey, variables: { approved: true } })
    const instances = await camunda.searchProcessInstances(
      { filter: { processInstanceKey: task.processInstanceKey! } },
      { consistency: { waitUpToMs: 0 } },
    )
    expect(instances.items[0]).toMatchObject({ processInstanceKey: task.processInstanceKey, state: 'COMPLETED' })
    const refused = await camunda.completeUserTask({ userTaskKey: task.userTaskKey }).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(refused).toMatchObject({ status: 404 })
  })
})
