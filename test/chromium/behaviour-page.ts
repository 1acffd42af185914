/**
 * The page script of the behaviour suite in Chromium (bundled by esbuild, see harness.ts). It exposes
 * `window.behaviour`: the ids of the cases it holds, and `run`, which runs one case in the page and
 * reports its outcome as plain data that crosses `page.evaluate`.
 */
import type { Fixtures } from '../behaviour/case.ts'
import { CASES } from '../behaviour/suite.ts'

/** How one case went in the page. */
export type CaseOutcome = { readonly ok: true } | { readonly ok: false; readonly message: string; readonly stack: string }

/** The API on `window.behaviour`. */
export interface BehaviourPage {
  readonly ids: readonly string[]
  run(id: string, fixtures: Fixtures): Promise<CaseOutcome>
}

declare global {
  interface Window {
    behaviour: BehaviourPage
  }
}

window.behaviour = {
  ids: CASES.map((behaviour) => behaviour.id),
  async run(id, fixtures) {
    const behaviour = CASES.find((candidate) => candidate.id === id)
    if (!behaviour) return { ok: false, message: `no case ${JSON.stringify(id)} in the page`, stack: '' }
    try {
      await behaviour.run({ fixtures })
      return { ok: true }
    } catch (error) {
      return { ok: false, message: String((error as Error)?.message ?? error), stack: String((error as Error)?.stack ?? '') }
    }
  },
}
