/**
 * The dev server's small Orchestration Cluster: user tasks and the process instances they belong
 * to, in memory, seeded with a handful of tasks. A rehearsal stage for tools that call the
 * Orchestration Cluster REST API v2, not an emulator: there is no BPMN, no engine, no exporter lag.
 * Completing a process instance's only user task completes the instance.
 * @module
 */

/**
 * A user task as the 8.8 REST API returns it (`UserTaskResult`).
 *
 * @example
 * ```ts
 * const open = server.cluster.userTasks().filter((task: DevUserTask) => task.state === 'CREATED')
 * ```
 */
export interface DevUserTask {
  readonly userTaskKey: string
  readonly name: string
  readonly state: 'CREATED' | 'COMPLETED' | 'CANCELED'
  readonly assignee?: string
  readonly elementId: string
  readonly elementInstanceKey: string
  readonly candidateGroups: readonly string[]
  readonly candidateUsers: readonly string[]
  readonly processDefinitionId: string
  readonly processDefinitionKey: string
  readonly processDefinitionVersion: number
  readonly processName: string
  readonly processInstanceKey: string
  readonly creationDate: string
  readonly completionDate?: string
  readonly dueDate?: string
  readonly priority: number
  readonly tenantId: string
  readonly customHeaders: Readonly<Record<string, string>>
}

/**
 * A process instance as the 8.8 REST API returns it (`ProcessInstanceResult`).
 *
 * @example
 * ```ts
 * server.cluster.processInstances().map((instance: DevProcessInstance) => instance.state) // ['ACTIVE', …]
 * ```
 */
export interface DevProcessInstance {
  readonly processInstanceKey: string
  readonly processDefinitionId: string
  readonly processDefinitionName: string
  readonly processDefinitionVersion: number
  readonly processDefinitionKey: string
  readonly startDate: string
  readonly endDate?: string
  readonly state: 'ACTIVE' | 'COMPLETED' | 'TERMINATED'
  readonly hasIncident: boolean
  readonly tenantId: string
}

/**
 * The cluster behind the dev server's `/zeebe/v2/…` routes, for tests and demos to look into.
 *
 * @example
 * ```ts
 * const server = createDevAuthServer()
 * server.cluster.userTasks().length // 6, the seed
 * server.cluster.variables(server.cluster.userTasks()[0]!.userTaskKey) // {} until it is completed
 * server.cluster.reset() // back to the seed
 * ```
 */
export interface DevCluster {
  /** Every user task, oldest first, completed ones included. */
  userTasks(): readonly DevUserTask[]
  /** Every process instance, oldest first. */
  processInstances(): readonly DevProcessInstance[]
  /** The variables a user task was completed with, or `undefined` for an unknown key. */
  variables(userTaskKey: string): Readonly<Record<string, unknown>> | undefined
  /** Puts the seeded tasks and instances back, as on start. */
  reset(): void
}

/** What the cluster routes may change: the state of one task and its instance. */
export interface ClusterState extends DevCluster {
  task(userTaskKey: string): DevUserTask | undefined
  update(userTaskKey: string, change: Partial<DevUserTask>, variables?: Record<string, unknown>): void
  now(): string
}

/** One seeded process: its definition, its one user task, and how many instances start. */
const SEED = [
  { id: 'invoice-approval', name: 'Invoice approval', version: 3, task: 'Approve invoice', element: 'approve-invoice', group: 'finance' },
  { id: 'employee-onboarding', name: 'Employee onboarding', version: 1, task: 'Prepare laptop', element: 'prepare-laptop', group: 'it' },
  { id: 'invoice-approval', name: 'Invoice approval', version: 3, task: 'Approve invoice', element: 'approve-invoice', group: 'finance' },
  { id: 'vacation-request', name: 'Vacation request', version: 2, task: 'Review vacation request', element: 'review', group: 'hr' },
  { id: 'employee-onboarding', name: 'Employee onboarding', version: 1, task: 'Create accounts', element: 'create-accounts', group: 'it' },
  { id: 'invoice-approval', name: 'Invoice approval', version: 3, task: 'Approve invoice', element: 'approve-invoice', group: 'finance' },
] as const

/** Keys look like Zeebe's (partition 1 starts at 2^51) and travel as strings, as in the v2 API. */
const KEY_BASE = 2_251_799_813_685_249n

/**
 * The seeded cluster: six process instances of three processes, each waiting on one user task,
 * created a few minutes apart before `now()`. The fourth task is already assigned to `lena`, so a
 * tool can meet a task that someone else holds.
 */
export function createCluster(now: () => number): ClusterState {
  let tasks: DevUserTask[] = []
  let instances: DevProcessInstance[] = []
  const variables = new Map<string, Record<string, unknown>>()
  const iso = (ms: number) => new Date(ms).toISOString()

  function seed(): void {
    const start = now()
    tasks = []
    instances = []
    variables.clear()
    SEED.forEach((process, i) => {
      const key = (offset: number) => String(KEY_BASE + BigInt(i * 10 + offset))
      const created = iso(start - (SEED.length - i) * 7 * 60_000)
      const processDefinitionKey = String(KEY_BASE + 9_000n + BigInt(process.version * 10 + process.id.length))
      instances.push({
        processInstanceKey: key(0),
        processDefinitionId: process.id,
        processDefinitionName: process.name,
        processDefinitionVersion: process.version,
        processDefinitionKey,
        startDate: created,
        state: 'ACTIVE',
        hasIncident: false,
        tenantId: '<default>',
      })
      tasks.push({
        userTaskKey: key(2),
        name: process.task,
        state: 'CREATED',
        ...(i === 3 && { assignee: 'lena' }),
        elementId: process.element,
        elementInstanceKey: key(1),
        candidateGroups: [process.group],
        candidateUsers: [],
        processDefinitionId: process.id,
        processDefinitionKey,
        processDefinitionVersion: process.version,
        processName: process.name,
        processInstanceKey: key(0),
        creationDate: created,
        dueDate: iso(start + (i + 1) * 86_400_000),
        priority: 50 + ((i * 17) % 40),
        tenantId: '<default>',
        customHeaders: {},
      })
      variables.set(key(2), {})
    })
  }
  seed()

  return {
    userTasks: () => tasks,
    processInstances: () => instances,
    variables: (userTaskKey) => variables.get(userTaskKey),
    reset: seed,
    task: (userTaskKey) => tasks.find((task) => task.userTaskKey === userTaskKey),
    now: () => iso(now()),
    update(userTaskKey, change, completedWith) {
      tasks = tasks.map((task) => (task.userTaskKey === userTaskKey ? { ...task, ...change } : task))
      if (completedWith) variables.set(userTaskKey, { ...variables.get(userTaskKey), ...completedWith })
      const task = tasks.find((t) => t.userTaskKey === userTaskKey)!
      const open = tasks.some((t) => t.processInstanceKey === task.processInstanceKey && t.state === 'CREATED')
      if (!open) {
        const endDate = iso(now())
        instances = instances.map((instance) =>
          instance.processInstanceKey === task.processInstanceKey && instance.state === 'ACTIVE'
            ? { ...instance, state: 'COMPLETED', endDate }
            : instance,
        )
      }
    },
  }
}
