/**
 * The check's report as text for a terminal: what was understood, each token's claims, each API
 * call, and the list of what to change.
 * @module
 */

import type { CheckReport, TokenClaims } from './check.ts'

/** The text report: every line of it built from `report`, which holds no secret. */
export function renderReport(report: CheckReport): string {
  const lines: string[] = [`camunda-edge-auth check: ${report.from}`]
  if (report.fromEnvironment.length > 0) lines.push(`  from the environment (--env): ${report.fromEnvironment.join(', ')}`)
  const { bundle } = report
  if (bundle) {
    lines.push('', 'Understood')
    const row = (name: string, value: string) => lines.push(`  ${name.padEnd(15)} ${value}`)
    row('strategy', `${bundle.strategy}${bundle.clientAuth ? ` (${bundle.clientAuth})` : ''}`)
    if (bundle.provider !== undefined) row('provider', bundle.provider)
    if (bundle.clientId !== undefined) row('client id', bundle.clientId)
    if (bundle.tokenUrl !== undefined) row('token URL', bundle.tokenUrl)
    if (bundle.username !== undefined) row('user', bundle.username)
    row('Console scopes', bundle.grantedScopes.length > 0 ? bundle.grantedScopes.join(', ') : '(none listed in CAMUNDA_CREDENTIALS_SCOPES)')
    for (const { api, baseUrl, audience, scope } of bundle.apis) {
      const request = [audience !== undefined && `audience ${audience}`, scope !== undefined && `scope ${scope}`].filter(Boolean).join(', ')
      row(api, `${baseUrl ?? '(no base URL)'}${request ? `  [${request}]` : ''}`)
    }
  }
  for (const note of report.notes) lines.push(`  note: ${note}`)

  if (report.tokens.length > 0) {
    lines.push('', "Tokens (claims decoded with jose's decodeJwt, signature not verified; tokens are never shown)")
    for (const token of report.tokens) {
      const status = token.ok ? 'ok  ' : token.requested ? 'FAIL' : 'skip'
      const detail = token.claims ? claimsText(token.claims) : (token.note ?? token.error?.message ?? '')
      lines.push(`  ${status} ${token.apis.join(', ').padEnd(24)} ${detail}`)
    }
  }
  if (report.calls.length > 0) {
    lines.push('', 'API calls')
    for (const call of report.calls) {
      lines.push(`  ${call.ok ? 'ok  ' : 'FAIL'} ${call.api.padEnd(9)} ${call.method} ${call.path} → ${call.detail ?? call.status ?? ''}`)
    }
  }
  if (!report.network && report.exitCode !== 2) lines.push('', 'No token requested and no API called (--no-network).')

  lines.push('')
  if (report.problems.length === 0) lines.push('Everything checked works.')
  else {
    lines.push(
      report.exitCode === 2
        ? 'The bundle cannot be used; change:'
        : `${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}; change:`,
    )
    for (const { variable, message } of report.problems) lines.push(`  - ${variable === undefined ? message : `${variable}: ${message}`}`)
  }
  return `${lines.join('\n')}\n`
}

function claimsText(claims: TokenClaims): string {
  const aud = claims.aud === undefined ? '(none)' : typeof claims.aud === 'string' ? claims.aud : claims.aud.join(' ')
  return [
    `aud ${aud}`,
    claims.scope !== undefined && claims.scope !== '' && `scope ${claims.scope}`,
    claims.expires !== undefined && `exp ${claims.expires}`,
    claims.lifetimeSeconds !== undefined && `lifetime ${claims.lifetimeSeconds} s`,
  ]
    .filter(Boolean)
    .join(', ')
}
