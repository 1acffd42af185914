/**
 * The bench's chart writer: one dot per request, dots at the same time stacked, counts and labels
 * as given, text escaped, and a title that says the counts for readers who cannot see it.
 */
import { describe, expect, it } from 'vitest'
import { requestChart } from '../../bench/chart.ts'

const chart = requestChart({
  title: 'Token requests <W4>',
  subtitle: '8 tabs & more',
  axis: { end: 100, step: 50, unit: 'ms' },
  markers: [{ at: 50, label: 'half way' }],
  rows: [
    { label: 'one', times: [10], highlight: true },
    { label: 'eight at once', note: 'instances', times: Array.from({ length: 8 }, () => 20) },
  ],
})
const circles = [...chart.matchAll(/<circle cx='([\d.]+)' cy='([\d.]+)'/g)].map((m) => ({ cx: Number(m[1]), cy: Number(m[2]) }))

describe('requestChart', () => {
  it('draws one dot per request, and stacks requests made at the same time into a column', () => {
    expect(circles).toHaveLength(9)
    const column = circles.slice(1)
    expect(new Set(column.map((c) => c.cx)).size).toBe(1)
    expect(new Set(column.map((c) => c.cy)).size).toBe(8)
    expect(circles[0]!.cx).toBeLessThan(column[0]!.cx)
  })

  it('labels each row with its count, escapes text, and titles the image with the counts', () => {
    expect(chart).toContain('>1 request</text>')
    expect(chart).toContain('>8 requests</text>')
    expect(chart).toContain('Token requests &lt;W4&gt;')
    expect(chart).toContain('8 tabs &amp; more')
    expect(chart).toMatch(/<title id='title'>Token requests &lt;W4&gt;\. Token requests: one: 1, eight at once: 8\.<\/title>/)
    expect(chart).toContain('half way')
    expect(chart.startsWith('<svg ')).toBe(true)
  })
})
