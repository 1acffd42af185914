/**
 * The bench's charts: token requests over time, one row per client, one dot per request. Dots that
 * fall on the same spot stack upwards, so eight requests in the same millisecond read as a column
 * of eight. A short SVG writer of its own: the plotting libraries that render SVG outside a browser
 * are large (vega: some thirty packages) or need a DOM (Observable Plot: d3 plus jsdom or linkedom),
 * for a chart that is dots on a time axis.
 * @module
 */

/**
 * One row of a chart: a client and the times of its token requests.
 *
 * @example
 * ```ts
 * const row: ChartRow = { label: 'camunda-edge-auth getToken', times: [0, 2010, 4015] }
 * ```
 */
export interface ChartRow {
  readonly label: string
  /** Shown under the label, smaller (how the client was run). */
  readonly note?: string
  /** When each token request started, in the chart's unit from the start of the run. */
  readonly times: readonly number[]
  /** Draw this row in the accent colour (the package itself). */
  readonly highlight?: boolean
}

/**
 * What a chart shows.
 *
 * @example
 * ```ts
 * writeFileSync('rollover.svg', requestChart({ title: 'W3', subtitle: '…', axis: { end: 12, unit: 's', step: 2 }, rows }))
 * ```
 */
export interface RequestChart {
  readonly title: string
  readonly subtitle: string
  /** The time axis: from 0 to `end`, a tick every `step`, labelled in `unit`. */
  readonly axis: { readonly end: number; readonly step: number; readonly unit: string }
  readonly rows: readonly ChartRow[]
  /** Dashed vertical lines, e.g. where each token expires. */
  readonly markers?: readonly { readonly at: number; readonly label: string }[]
}

const WIDTH = 960
const LABEL_WIDTH = 380
const COUNT_WIDTH = 110
const DOT = 6
const ROW_PADDING = 12
const FONT = "font-family='system-ui, -apple-system, Segoe UI, sans-serif'"

/** Escapes text for SVG. */
const text = (value: string): string => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/**
 * The chart as an SVG document (light background, readable on GitHub's light and dark themes).
 *
 * @example
 * ```ts
 * const svg = requestChart({ title: 'Token requests', subtitle: '8 tabs', axis: { end: 200, step: 50, unit: 'ms' }, rows: [] })
 * ```
 */
export function requestChart(chart: RequestChart): string {
  // A little room before 0, so a request at the very start is not cut by the edge.
  const plotLeft = LABEL_WIDTH + 8
  const plotWidth = WIDTH - plotLeft - COUNT_WIDTH - 20
  const x = (t: number) => plotLeft + (Math.min(Math.max(t, 0), chart.axis.end) / chart.axis.end) * plotWidth
  // Dots closer than a dot's width share a column and stack.
  const stacks = chart.rows.map((row) => {
    const columns = new Map<number, number>()
    return row.times.map((t) => {
      const column = Math.round(x(t) / DOT)
      const level = columns.get(column) ?? 0
      columns.set(column, level + 1)
      return { cx: column * DOT, level }
    })
  })
  const tallest = Math.max(1, ...stacks.flatMap((dots) => dots.map((d) => d.level + 1)))
  const rowHeight = Math.max(44, tallest * DOT + 2 * ROW_PADDING)
  const top = 78
  const plotHeight = rowHeight * chart.rows.length
  const height = top + plotHeight + 58
  const parts: string[] = []
  parts.push(
    `<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 ${WIDTH} ${height}' width='${WIDTH}' height='${height}' role='img' aria-labelledby='title' ${FONT}>`,
  )
  const summary = chart.rows.map((row) => `${row.label}: ${row.times.length}`).join(', ')
  parts.push(`<title id='title'>${text(`${chart.title}. Token requests: ${summary}.`)}</title>`)
  parts.push(`<rect width='${WIDTH}' height='${height}' fill='#ffffff'/>`)
  parts.push(`<text x='20' y='32' font-size='18' font-weight='600' fill='#1d1d1f'>${text(chart.title)}</text>`)
  parts.push(`<text x='20' y='54' font-size='13' fill='#5f6368'>${text(chart.subtitle)}</text>`)

  for (let t = 0; t <= chart.axis.end + 1e-9; t += chart.axis.step) {
    const tx = x(t)
    parts.push(`<line x1='${tx}' x2='${tx}' y1='${top}' y2='${top + plotHeight}' stroke='#ececf0'/>`)
    parts.push(
      `<text x='${tx}' y='${top + plotHeight + 18}' font-size='12' fill='#5f6368' text-anchor='middle'>${round(t)} ${chart.axis.unit}</text>`,
    )
  }
  for (const marker of chart.markers ?? []) {
    const mx = x(marker.at)
    parts.push(`<line x1='${mx}' x2='${mx}' y1='${top - 6}' y2='${top + plotHeight}' stroke='#9aa0a6' stroke-dasharray='4 3'/>`)
    parts.push(`<text x='${mx + 3}' y='${top - 8}' font-size='11' fill='#5f6368'>${text(marker.label)}</text>`)
  }

  chart.rows.forEach((row, i) => {
    const rowTop = top + i * rowHeight
    const base = rowTop + rowHeight - ROW_PADDING
    const colour = row.highlight ? '#fc5d0d' : '#3c4a5c'
    parts.push(
      `<line x1='${plotLeft}' x2='${plotLeft + plotWidth}' y1='${rowTop + rowHeight}' y2='${rowTop + rowHeight}' stroke='#d9d9df'/>`,
    )
    const labelY = rowTop + rowHeight / 2 + (row.note ? -2 : 4)
    parts.push(
      `<text x='20' y='${labelY}' font-size='13' font-weight='${row.highlight ? 600 : 400}' fill='#1d1d1f'>${text(row.label)}</text>`,
    )
    if (row.note) parts.push(`<text x='20' y='${labelY + 16}' font-size='11' fill='#5f6368'>${text(row.note)}</text>`)
    for (const dot of stacks[i]!) {
      parts.push(`<circle cx='${dot.cx}' cy='${base - dot.level * DOT - DOT / 2}' r='${DOT / 2 - 0.6}' fill='${colour}'/>`)
    }
    const count = row.times.length
    parts.push(
      `<text x='${WIDTH - 20}' y='${rowTop + rowHeight / 2 + 5}' font-size='14' font-weight='600' fill='${colour}' text-anchor='end'>${count} ${count === 1 ? 'request' : 'requests'}</text>`,
    )
  })
  parts.push(
    `<text x='${plotLeft}' y='${height - 14}' font-size='11' fill='#5f6368'>one dot per token request, at the time it was sent; dots at the same time stack</text>`,
  )
  parts.push('</svg>')
  return `${parts.join('\n')}\n`
}

/** Axis numbers without float noise (0.30000000000000004 → 0.3). */
function round(value: number): string {
  return String(Math.round(value * 1000) / 1000)
}
