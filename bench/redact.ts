/**
 * `npx tsx bench/redact.ts`: what one failed token request costs in `redact` when the token
 * endpoint's error text is hostile, for 8, 32 and 64 KiB (64 KiB is the most of an error body the
 * exchange reads). "before" is the redact of the original code, kept verbatim below; "now" is
 * src/token/redact.ts. Median of 5 runs per cell, in ms.
 * @module
 */

import { redact, redactor } from '../src/token/redact.ts'
import { median } from './stats.ts'

const SECRET = 'Zq8~Xv2 Lm5+Np7/Rt9W"k\\é-Sentinel_0f9e8d7c6b5a4~Never.Shown.Anywhere'
const SIZES = [8, 32, 64]

/** The original redact (before the hardening), for the "before" column. */
function before(text: string, secrets: readonly (string | undefined)[], max = 500): string {
  let out = text
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('[redacted]')
  }
  out = out
    .replace(/eyJ[\w-]*\.[\w-]*\.[\w-]*/g, '[redacted]')
    .replace(/[\w\-.~+/]{24,}=*/g, (run) => (/\d/.test(run) ? '[redacted]' : run))
  return out.length > max ? `${out.slice(0, max)}…` : out
}

const pieces = redactor([{ value: SECRET, id: 'bench-client' }])
const now = (text: string): string => redact(text, pieces, 300)

/** Inputs a token endpoint controls, each built up to `bytes` characters. */
const HOSTILE: Record<string, (bytes: number) => string> = {
  "'eyJ' repeated": (bytes) => 'eyJ'.repeat(bytes / 3),
  "'eyJ-' repeated": (bytes) => 'eyJ-'.repeat(bytes / 4),
  "'eyJ.' then 'eyJ' repeated": (bytes) => `eyJ.${'eyJ'.repeat(bytes / 3)}`,
  '23-char runs, one digit each': (bytes) => `${'a'.repeat(22)}1 `.repeat(bytes / 24),
  'the form body echoed': (bytes) =>
    `client_id=c&client_secret=${new URLSearchParams({ s: SECRET }).toString().slice(2)}&audience=zeebe `.repeat(bytes / 130),
}

function timeMs(fn: (text: string) => string, text: string): number {
  const runs: number[] = []
  for (let run = 0; run < 5; run++) {
    const start = performance.now()
    fn(text)
    runs.push(performance.now() - start)
  }
  return median(runs)
}

const log = (text: string): void => void process.stdout.write(`${text}\n`)
log(`redact, ms per call (median of 5), node ${process.version}`)
log(['input'.padEnd(30), ...SIZES.flatMap((kib) => [`before ${kib} KiB`.padStart(15), `now ${kib} KiB`.padStart(12)])].join(''))
for (const [name, build] of Object.entries(HOSTILE)) {
  const cells = SIZES.flatMap((kib) => {
    const text = build(kib * 1024)
    return [
      timeMs((t) => before(t, [SECRET], 300), text)
        .toFixed(2)
        .padStart(15),
      timeMs(now, text).toFixed(2).padStart(12),
    ]
  })
  log([name.padEnd(30), ...cells].join(''))
}
