/**
 * The behaviour suite: every group, in the order the runners report them. A case is found by its
 * id, `group › case`, which is also the name each runtime reports it under.
 * @module
 */
import { authFetch } from './auth-fetch.ts'
import type { BehaviourCase, BehaviourGroup } from './case.ts'
import { cooldowns } from './cooldowns.ts'
import { credentials } from './credentials.ts'
import { errors } from './errors.ts'
import { redaction } from './redaction.ts'
import { refreshAhead } from './refresh-ahead.ts'
import { singleFlight } from './single-flight.ts'
import { strategies } from './strategies.ts'

export const SUITE: readonly BehaviourGroup[] = [
  credentials,
  singleFlight,
  refreshAhead,
  cooldowns,
  errors,
  redaction,
  authFetch,
  strategies,
]

/** A case's id: its group's name and its own. */
export function caseId(group: BehaviourGroup, behaviour: BehaviourCase): string {
  return `${group.name} › ${behaviour.name}`
}

/** Every case with its id, in suite order. */
export const CASES: readonly (BehaviourCase & { readonly id: string })[] = SUITE.flatMap((group) =>
  group.cases.map((behaviour) => ({ ...behaviour, id: caseId(group, behaviour) })),
)
