/**
 * The Orchestration Cluster REST API v2 routes the dev cluster answers, below `/zeebe`, after the
 * bearer token has been checked for the Zeebe audience:
 *
 * | route | answer |
 * | --- | --- |
 * | `POST /v2/user-tasks/search` | 200 `{ items, page }` |
 * | `POST /v2/user-tasks/{userTaskKey}/assignment` | 204; 404 for an unknown or completed task; 409 with `allowOverride: false` when someone else holds it |
 * | `POST /v2/user-tasks/{userTaskKey}/completion` | 204; 404 for an unknown or completed task |
 * | `POST /v2/process-instances/search` | 200 `{ items, page }` |
 *
 * Failures are RFC 9457 problem details (`application/problem+json`), worded as the 8.8 gateway
 * words a rejected command: `Command 'COMPLETE' rejected with code 'NOT_FOUND': …`.
 * @module
 */

import { isObject } from '../lib/is-object.ts'
import { parseJson } from '../lib/parse-json.ts'
import { readBoundedText } from '../lib/read-bounded.ts'
import type { ClusterState, DevUserTask } from './cluster.ts'
import { search, type SearchFields } from './cluster-search.ts'

/** A request body larger than this is refused: the routes take small JSON documents only. */
const MAX_BODY_BYTES = 1_048_576

const USER_TASK_FIELDS: SearchFields = {
  filter: {
    state: 'state',
    assignee: 'assignee',
    userTaskKey: 'userTaskKey',
    processInstanceKey: 'processInstanceKey',
    processDefinitionKey: 'processDefinitionKey',
    processDefinitionId: 'processDefinitionId',
    elementId: 'elementId',
    elementInstanceKey: 'elementInstanceKey',
    name: 'name',
    candidateGroup: 'candidateGroups',
    candidateUser: 'candidateUsers',
    priority: 'priority',
    tenantId: 'tenantId',
  },
  sort: ['creationDate', 'completionDate', 'dueDate', 'priority', 'name'],
  key: 'userTaskKey',
}

const PROCESS_INSTANCE_FIELDS: SearchFields = {
  filter: {
    processInstanceKey: 'processInstanceKey',
    processDefinitionId: 'processDefinitionId',
    processDefinitionName: 'processDefinitionName',
    processDefinitionVersion: 'processDefinitionVersion',
    processDefinitionKey: 'processDefinitionKey',
    state: 'state',
    hasIncident: 'hasIncident',
    tenantId: 'tenantId',
  },
  sort: ['processInstanceKey', 'processDefinitionId', 'processDefinitionName', 'processDefinitionVersion', 'startDate', 'endDate', 'state'],
  key: 'processInstanceKey',
}

/**
 * The answer of the dev cluster to `request` on `path` (below `/zeebe`), or `undefined` when the
 * path is not one of its routes (the caller then answers as before).
 */
export async function handleClusterRequest(cluster: ClusterState, request: Request, path: string): Promise<Response | undefined> {
  const route = matchRoute(path)
  if (!route) return undefined
  if (request.method !== 'POST')
    return problem(405, 'METHOD_NOT_ALLOWED', `Request method '${request.method}' is not supported`, path, { allow: 'POST' })
  const text = await readBoundedText(request.body, MAX_BODY_BYTES)
  if (text === undefined) return problem(413, 'PAYLOAD_TOO_LARGE', `the request body is larger than ${MAX_BODY_BYTES} bytes`, path)

  if (route.kind === 'search') {
    const answer =
      route.of === 'user-tasks'
        ? search(cluster.userTasks(), text, USER_TASK_FIELDS)
        : search(cluster.processInstances(), text, PROCESS_INSTANCE_FIELDS)
    if (typeof answer === 'string') return problem(400, 'INVALID_ARGUMENT', answer, path)
    return new Response(JSON.stringify(answer), { headers: { 'content-type': 'application/json' } })
  }

  const body = text.trim() === '' ? {} : parseJson(text)
  if (!isObject(body)) return problem(400, 'INVALID_ARGUMENT', 'the request body must be a JSON object', path)
  return route.kind === 'assignment' ? assign(cluster, route.key, body, path) : complete(cluster, route.key, body, path)
}

type Route = { kind: 'search'; of: 'user-tasks' | 'process-instances' } | { kind: 'assignment' | 'completion'; key: string }

function matchRoute(path: string): Route | undefined {
  if (path === '/v2/user-tasks/search') return { kind: 'search', of: 'user-tasks' }
  if (path === '/v2/process-instances/search') return { kind: 'search', of: 'process-instances' }
  const action = /^\/v2\/user-tasks\/([^/]+)\/(assignment|completion)$/.exec(path)
  return action ? { kind: action[2] as 'assignment' | 'completion', key: decodeURIComponent(action[1]!) } : undefined
}

/** `allowOverride: false` is a claim in the engine: refused while another user holds the task. */
function assign(cluster: ClusterState, key: string, body: Record<string, unknown>, path: string): Response {
  const claim = body.allowOverride === false
  const intent = claim ? 'CLAIM' : 'ASSIGN'
  const found = openTask(cluster, key, intent, path)
  if (found instanceof Response) return found
  const assignee = body.assignee
  if (typeof assignee !== 'string' || assignee.trim() === '') return problem(400, 'INVALID_ARGUMENT', 'No assignee provided.', path)
  if (claim && found.assignee !== undefined && found.assignee !== assignee) {
    return rejected(409, intent, 'INVALID_STATE', `Expected to claim user task with key '${key}', but it has already been assigned`, path)
  }
  cluster.update(key, { assignee })
  return new Response(null, { status: 204 })
}

function complete(cluster: ClusterState, key: string, body: Record<string, unknown>, path: string): Response {
  const found = openTask(cluster, key, 'COMPLETE', path)
  if (found instanceof Response) return found
  const variables = body.variables ?? {}
  if (!isObject(variables)) return problem(400, 'INVALID_ARGUMENT', 'variables must be a JSON object of names and values', path)
  cluster.update(key, { state: 'COMPLETED', completionDate: cluster.now() }, variables)
  return new Response(null, { status: 204 })
}

/**
 * The task, or the answer for a key that names none: 400 for a key that is not a number, 404 for
 * one the engine does not hold (it forgets a task once it is completed or canceled).
 */
function openTask(cluster: ClusterState, key: string, intent: string, path: string): DevUserTask | Response {
  if (!/^\d{1,19}$/.test(key)) return problem(400, 'INVALID_ARGUMENT', `The provided userTaskKey '${key}' is not a valid key.`, path)
  const task = cluster.task(key)
  if (task && task.state === 'CREATED') return task
  const verb = intent.toLowerCase()
  return rejected(404, intent, 'NOT_FOUND', `Expected to ${verb} user task with key '${key}', but no such user task was found`, path)
}

function rejected(status: number, intent: string, code: string, reason: string, path: string): Response {
  return problem(status, code, `Command '${intent}' rejected with code '${code}': ${reason}`, path)
}

/** An RFC 9457 problem detail, shaped as the gateway's (`type`, `title`, `status`, `detail`, `instance`). */
function problem(status: number, title: string, detail: string, path: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title, status, detail, instance: `/zeebe${path}` }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  })
}
