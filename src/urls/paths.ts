/**
 * The REST paths of each Camunda 8 API, as string-literal types, so that editors autocomplete them.
 * Other paths are still accepted: these lists only help, they never restrict.
 *
 * Every path carries its API version (`/v2/...`, `/v1/...`) or, for Optimize, its `/api/public`
 * prefix, exactly as the API documentation writes it; `{name}` marks a path parameter.
 * @module
 */

/**
 * Paths of the Orchestration Cluster (Zeebe) REST API v2.
 *
 * @example
 * ```ts
 * const path: KnownZeebePath = '/v2/process-instances/{processInstanceKey}/cancellation'
 * ```
 */
export type KnownZeebePath =
  | '/v2/topology'
  | '/v2/license'
  | '/v2/status'
  | '/v2/authentication/me'
  | '/v2/clock'
  | '/v2/clock/reset'
  | '/v2/deployments'
  | '/v2/resources/{resourceKey}'
  | '/v2/resources/{resourceKey}/content'
  | '/v2/resources/{resourceKey}/deletion'
  | '/v2/process-definitions/search'
  | '/v2/process-definitions/{processDefinitionKey}'
  | '/v2/process-definitions/{processDefinitionKey}/xml'
  | '/v2/process-definitions/{processDefinitionKey}/form'
  | '/v2/process-definitions/{processDefinitionKey}/statistics/element-instances'
  | '/v2/process-instances'
  | '/v2/process-instances/search'
  | '/v2/process-instances/{processInstanceKey}'
  | '/v2/process-instances/{processInstanceKey}/cancellation'
  | '/v2/process-instances/{processInstanceKey}/migration'
  | '/v2/process-instances/{processInstanceKey}/modification'
  | '/v2/process-instances/{processInstanceKey}/call-hierarchy'
  | '/v2/process-instances/{processInstanceKey}/sequence-flows'
  | '/v2/process-instances/{processInstanceKey}/statistics/element-instances'
  | '/v2/process-instances/{processInstanceKey}/incidents/search'
  | '/v2/element-instances/search'
  | '/v2/element-instances/{elementInstanceKey}'
  | '/v2/element-instances/{elementInstanceKey}/variables'
  | '/v2/user-tasks/search'
  | '/v2/user-tasks/{userTaskKey}'
  | '/v2/user-tasks/{userTaskKey}/completion'
  | '/v2/user-tasks/{userTaskKey}/assignment'
  | '/v2/user-tasks/{userTaskKey}/assignee'
  | '/v2/user-tasks/{userTaskKey}/form'
  | '/v2/user-tasks/{userTaskKey}/variables/search'
  | '/v2/jobs/activation'
  | '/v2/jobs/search'
  | '/v2/jobs/{jobKey}'
  | '/v2/jobs/{jobKey}/completion'
  | '/v2/jobs/{jobKey}/failure'
  | '/v2/jobs/{jobKey}/error'
  | '/v2/messages/publication'
  | '/v2/messages/correlation'
  | '/v2/signals/broadcast'
  | '/v2/incidents/search'
  | '/v2/incidents/{incidentKey}'
  | '/v2/incidents/{incidentKey}/resolution'
  | '/v2/variables/search'
  | '/v2/variables/{variableKey}'
  | '/v2/decision-definitions/evaluation'
  | '/v2/decision-definitions/search'
  | '/v2/decision-definitions/{decisionDefinitionKey}'
  | '/v2/decision-definitions/{decisionDefinitionKey}/xml'
  | '/v2/decision-instances/search'
  | '/v2/decision-instances/{decisionEvaluationInstanceKey}'
  | '/v2/decision-requirements/search'
  | '/v2/decision-requirements/{decisionRequirementsKey}'
  | '/v2/decision-requirements/{decisionRequirementsKey}/xml'
  | '/v2/forms/{formKey}'
  | '/v2/documents'
  | '/v2/documents/batch'
  | '/v2/documents/{documentId}'
  | '/v2/documents/{documentId}/links'
  | '/v2/batch-operations/search'
  | '/v2/batch-operations/{batchOperationKey}'
  | '/v2/users'
  | '/v2/users/search'
  | '/v2/users/{username}'
  | '/v2/groups'
  | '/v2/groups/search'
  | '/v2/groups/{groupId}'
  | '/v2/roles'
  | '/v2/roles/search'
  | '/v2/roles/{roleId}'
  | '/v2/tenants'
  | '/v2/tenants/search'
  | '/v2/tenants/{tenantId}'
  | '/v2/authorizations'
  | '/v2/authorizations/search'
  | '/v2/authorizations/{authorizationKey}'
  | '/v2/mapping-rules'
  | '/v2/mapping-rules/search'
  | '/v2/mapping-rules/{mappingRuleId}'

// ── Hand-maintained below: `npm run gen:paths` keeps this part as it is. Operate v1, Tasklist v1
// and the Optimize API have no generated client to read; these lists follow each API's own
// routes (see the README, "Typed URLs", for what they were compared against).

/**
 * Paths of the Operate REST API v1.
 *
 * @example
 * ```ts
 * const path: KnownOperatePath = '/v1/process-instances/{key}'
 * ```
 */
export type KnownOperatePath =
  | '/v1/process-definitions/search'
  | '/v1/process-definitions/{key}'
  | '/v1/process-definitions/{key}/xml'
  | '/v1/process-instances/search'
  | '/v1/process-instances/{key}'
  | '/v1/process-instances/{key}/statistics'
  | '/v1/process-instances/{key}/sequence-flows'
  | '/v1/incidents/search'
  | '/v1/incidents/{key}'
  | '/v1/flownode-instances/search'
  | '/v1/flownode-instances/{key}'
  | '/v1/variables/search'
  | '/v1/variables/{key}'
  | '/v1/decision-definitions/search'
  | '/v1/decision-definitions/{key}'
  | '/v1/decision-requirements/search'
  | '/v1/decision-requirements/{key}'
  | '/v1/decision-requirements/{key}/xml'
  | '/v1/decision-instances/search'
  | '/v1/decision-instances/{id}'

/**
 * Paths of the Tasklist REST API v1. A form needs the `processDefinitionKey` query parameter:
 * append `?processDefinitionKey=…` to the built URL.
 *
 * @example
 * ```ts
 * const path: KnownTasklistPath = '/v1/tasks/{taskId}/complete'
 * ```
 */
export type KnownTasklistPath =
  | '/v1/tasks/search'
  | '/v1/tasks/{taskId}'
  | '/v1/tasks/{taskId}/assign'
  | '/v1/tasks/{taskId}/unassign'
  | '/v1/tasks/{taskId}/complete'
  | '/v1/tasks/{taskId}/variables'
  | '/v1/tasks/{taskId}/variables/search'
  | '/v1/forms/{formId}'
  | '/v1/variables/{variableId}'

/**
 * Paths of the Optimize public REST API.
 *
 * @example
 * ```ts
 * const path: KnownOptimizePath = '/api/public/export/report/{reportId}/result/json'
 * ```
 */
export type KnownOptimizePath =
  | '/api/public/dashboard'
  | '/api/public/dashboard/{dashboardId}'
  | '/api/public/report'
  | '/api/public/report/{reportId}'
  | '/api/public/export/report/{reportId}/result/json'
  | '/api/public/export/report/definition/json'
  | '/api/public/export/dashboard/definition/json'
  | '/api/public/import'
  | '/api/public/share/enable'
  | '/api/public/share/disable'
  | '/api/public/variables/labels'
  | '/api/public/ingestion/variable'
  | '/api/public/ingestion/event/batch'
