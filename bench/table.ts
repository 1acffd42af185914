/**
 * Plain-text tables for the terminal: aligned columns, numbers right-aligned.
 * @module
 */

/**
 * Render `rows` under `header`, each column as wide as its widest cell: the first column (the row
 * label) left-aligned, the others (numbers) right-aligned.
 *
 * @example
 * ```ts
 * console.log(table(['client', 'ns'], [['memo', '52']]))
 * ```
 */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

/**
 * A number with a fixed count of decimals and thin grouping, for table cells.
 *
 * @example
 * ```ts
 * fmt(1234.5, 1) // '1,234.5'
 * ```
 */
export function fmt(value: number, decimals = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })
}
