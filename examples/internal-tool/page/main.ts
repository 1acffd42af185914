/**
 * The user-task inbox page: lists open user tasks, assigns one to the signed-in person, completes
 * one with the variables typed into the form, and shows the process instances the tasks belong to.
 *
 * It holds no client secret and no token. Every call goes to the Worker on this origin
 * (`/zeebe/v2/…`, built with the package's typed URLs), which adds its own token; the session
 * cookie that lets it through is HttpOnly, so no script here can read it either.
 *
 * Build: `npx rollup -c examples/internal-tool/rollup.config.mjs`; run: `npm run example:tool`.
 */
import { createUrls } from 'camunda-edge-auth'

/** The Orchestration Cluster REST API, behind the Worker's proxy on this origin. */
const urls = createUrls({ baseUrls: { zeebe: `${location.origin}/zeebe` } })

interface UserTask {
  readonly userTaskKey: string
  readonly name?: string
  readonly assignee?: string
  readonly processName?: string
  readonly processInstanceKey?: string
  readonly dueDate?: string
  readonly priority?: number
}

interface ProcessInstance {
  readonly processInstanceKey: string
  readonly processDefinitionName: string
  readonly processDefinitionVersion: number
  readonly state: string
  readonly startDate: string
}

interface SearchResult<T> {
  readonly items: T[]
  readonly page: { readonly totalItems: number }
}

/** An answer the API gave that is not a success, with the problem detail it sent. */
class ApiProblem extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(detail)
  }
}

const byId = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const element = document.getElementById(id)
  if (!element) throw new Error(`#${id} is missing from index.html`)
  return element as T
}

let me = ''
/** Actions finished so far, on `<body data-settled>`, so a test or a script knows when one is done. */
let settled = 0

/** POSTs JSON to the API through the proxy; the session cookie goes along, no token does. */
async function call<T>(url: string, body: unknown): Promise<T | undefined> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  })
  if (response.status === 204) return undefined
  const answer = (await response.json().catch(() => ({}))) as { detail?: string; error_description?: string }
  if (!response.ok) throw new ApiProblem(response.status, answer.detail ?? answer.error_description ?? response.statusText)
  return answer as T
}

function cell(text: string, className?: string): HTMLTableCellElement {
  const td = document.createElement('td')
  td.textContent = text
  if (className) td.className = className
  return td
}

function button(label: string, action: string, key: string, disabled = false): HTMLButtonElement {
  const b = document.createElement('button')
  b.type = 'button'
  b.textContent = label
  b.dataset.action = action
  b.dataset.key = key
  b.disabled = disabled
  return b
}

const day = (iso: string | undefined) => (iso ? new Date(iso).toLocaleDateString(undefined, { month: 'short', day: 'numeric' }) : '—')

function showTasks(result: SearchResult<UserTask>): void {
  const rows = result.items.map((task) => {
    const tr = document.createElement('tr')
    tr.dataset.key = task.userTaskKey
    const assignee =
      task.assignee === undefined ? cell('unassigned', 'nobody') : task.assignee === me ? cell(`${me} (you)`, 'me') : cell(task.assignee)
    const actions = cell('', 'actions')
    actions.append(
      button('Assign to me', 'assign', task.userTaskKey, task.assignee === me),
      button('Complete', 'complete', task.userTaskKey),
    )
    tr.append(
      cell(task.name ?? task.userTaskKey),
      cell(task.processName ?? '—'),
      assignee,
      cell(day(task.dueDate), 'nowrap'),
      cell(String(task.priority ?? '—')),
      actions,
    )
    return tr
  })
  byId('tasks').replaceChildren(...rows)
  byId('task-count').textContent = `${result.page.totalItems}`
  byId('no-tasks').hidden = result.items.length > 0
}

function showInstances(instances: readonly ProcessInstance[]): void {
  const rows = instances.map((instance) => {
    const tr = document.createElement('tr')
    const state = cell('')
    const badge = document.createElement('span')
    badge.className = `state ${instance.state}`
    badge.textContent = instance.state
    state.append(badge)
    tr.append(
      cell(instance.processInstanceKey, 'key'),
      cell(instance.processDefinitionName),
      cell(`v${instance.processDefinitionVersion}`),
      state,
      cell(new Date(instance.startDate).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })),
    )
    return tr
  })
  byId('instances').replaceChildren(...rows)
}

/** Loads the open tasks (first 50, oldest first) and the process instances they belong to. */
async function refresh(): Promise<void> {
  const tasks = (await call<SearchResult<UserTask>>(urls.zeebe('/v2/user-tasks/search'), {
    filter: { state: 'CREATED' },
    sort: [{ field: 'creationDate', order: 'ASC' }],
    page: { from: 0, limit: 50 },
  }))!
  showTasks(tasks)
  const keys = [...new Set(tasks.items.flatMap((task) => (task.processInstanceKey ? [task.processInstanceKey] : [])))]
  const instances =
    keys.length === 0
      ? []
      : (await call<SearchResult<ProcessInstance>>(urls.zeebe('/v2/process-instances/search'), {
          filter: { processInstanceKey: { $in: keys } },
          page: { from: 0, limit: keys.length },
        }))!.items
  showInstances(instances)
}

/** The form's rows as variables: a value that parses as JSON is that value, anything else is text. */
function formVariables(): Record<string, unknown> {
  const variables: Record<string, unknown> = {}
  for (const row of byId('variables').querySelectorAll('.row')) {
    const [name, value] = [...row.querySelectorAll('input')].map((input) => input.value.trim())
    if (!name) continue
    try {
      variables[name] = JSON.parse(value!)
    } catch {
      variables[name] = value
    }
  }
  return variables
}

function status(text: string, error = false): void {
  const line = byId('status')
  line.textContent = text
  line.classList.toggle('error', error)
}

/** Words for what went wrong, for the person at the screen. */
function explain(error: unknown): string {
  if (!(error instanceof ApiProblem)) return `Could not reach the tool's server: ${String(error)}`
  if (error.status === 409) return 'Someone else holds this task; it was not reassigned.'
  if (error.status === 404) return 'This task is gone: someone completed it in the meantime.'
  if (error.status === 403) return 'You are signed out; reload the page to sign in again.'
  return `The API answered ${error.status}: ${error.message}`
}

async function act(action: string, key: string): Promise<void> {
  const path = action === 'assign' ? '/v2/user-tasks/{userTaskKey}/assignment' : '/v2/user-tasks/{userTaskKey}/completion'
  const body = action === 'assign' ? { assignee: me, allowOverride: false } : { variables: formVariables() }
  try {
    await call(urls.zeebe(path, { userTaskKey: key }), body)
    status(action === 'assign' ? 'Assigned to you.' : 'Completed.')
  } catch (error) {
    status(explain(error), true)
  }
  await refresh().catch((error: unknown) => status(explain(error), true))
  document.body.dataset.settled = String(++settled)
}

async function start(): Promise<void> {
  const session = await fetch('/session', { credentials: 'same-origin' })
  if (session.status !== 200) {
    byId('signin').hidden = false
    byId('signin-failed').hidden = new URLSearchParams(location.search).get('signin') !== 'failed'
    document.body.dataset.ready = 'signin'
    return
  }
  me = ((await session.json()) as { user: string }).user
  byId('user').textContent = me
  byId('who').hidden = false
  byId('inbox').hidden = false
  byId('tasks').addEventListener('click', (event) => {
    const target = (event.target as HTMLElement).closest('button')
    if (target?.dataset.action && target.dataset.key) void act(target.dataset.action, target.dataset.key)
  })
  byId('refresh').addEventListener('click', () => void refresh().catch((error: unknown) => status(explain(error), true)))
  try {
    await refresh()
  } catch (error) {
    status(explain(error), true)
  }
  document.body.dataset.ready = 'inbox'
}

void start()
