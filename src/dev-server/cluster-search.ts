/**
 * Search requests of the Orchestration Cluster REST API v2, as the dev cluster answers them:
 * `filter` (plain values and the `$eq`, `$neq`, `$in`, `$notIn`, `$exists`, `$like`, `$gt`, `$gte`,
 * `$lt`, `$lte` operators), `sort` (`[{ field, order: 'ASC' | 'DESC' }]`) and `page` (offset
 * `{ from, limit }`, or cursors `{ after | before, limit }` taken from an earlier answer).
 * @module
 */

import { base64Utf8 } from '../lib/base64.ts'
import { isObject } from '../lib/is-object.ts'
import { parseJson } from '../lib/parse-json.ts'

/** A search answer (`SearchQueryResponse`): the page of items and what the page says about the rest. */
export interface SearchAnswer<T> {
  readonly items: readonly T[]
  readonly page: {
    readonly totalItems: number
    readonly hasMoreTotalItems: boolean
    readonly startCursor?: string
    readonly endCursor?: string
  }
}

/** What one kind of item may be searched by. */
export interface SearchFields {
  /** Filter field → the item property it reads (a `string[]` property matches when any entry does). */
  readonly filter: Readonly<Record<string, string>>
  readonly sort: readonly string[]
  /** The property that orders ties and names each item in a cursor. */
  readonly key: string
}

/** The default and largest page, as in 8.8. */
const DEFAULT_LIMIT = 100
const MAX_LIMIT = 10_000

const OPERATORS = new Set(['$eq', '$neq', '$in', '$notIn', '$exists', '$like', '$gt', '$gte', '$lt', '$lte'])

/**
 * Runs a search body (JSON text, empty for "everything") over `items`; a string is the reason for a
 * 400, worded for the person who wrote the request.
 */
export function search<T extends object>(items: readonly T[], bodyText: string, fields: SearchFields): SearchAnswer<T> | string {
  const body = bodyText.trim() === '' ? {} : parseJson(bodyText)
  if (!isObject(body)) return 'the request body must be a JSON object such as {"filter":{},"page":{"from":0,"limit":10}}'
  for (const name of Object.keys(body)) {
    if (!['filter', 'sort', 'page'].includes(name)) return `unknown property "${name}"; a search takes filter, sort and page`
  }
  const filter = body.filter ?? {}
  if (!isObject(filter)) return 'filter must be an object'
  for (const [name, condition] of Object.entries(filter)) {
    const property = fields.filter[name]
    if (property === undefined) {
      return `the dev cluster cannot filter by "${name}" (it is a rehearsal stage, not an emulator); it filters by ${Object.keys(fields.filter).join(', ')}`
    }
    const reason = checkCondition(name, condition)
    if (reason) return reason
  }
  const order = sortOrder(body.sort, fields)
  if (typeof order === 'string') return order
  const page = pageOf(body.page)
  if (typeof page === 'string') return page

  const matching = items.filter((item) => Object.entries(filter).every(([name, c]) => matches(read(item, fields.filter[name]!), c)))
  const tuple = (item: T) => [...order.map(({ field }) => read(item, field)), read(item, fields.key)]
  const compareTuples = (a: unknown[], b: unknown[]) => {
    for (let i = 0; i < a.length; i++) {
      const direction = i < order.length && order[i]!.descending ? -1 : 1
      const difference = compareValues(a[i], b[i]) * direction
      if (difference !== 0) return difference
    }
    return 0
  }
  const sorted = [...matching].sort((a, b) => compareTuples(tuple(a), tuple(b)))
  let selected: T[]
  if (page.from === undefined) {
    const cursor = decodeCursor(page.after ?? page.before!)
    if (!cursor || cursor.length !== order.length + 1)
      return 'page.after / page.before must be a cursor from an earlier answer to the same search'
    selected =
      page.after !== undefined
        ? sorted.filter((item) => compareTuples(tuple(item), cursor) > 0).slice(0, page.limit)
        : sorted.filter((item) => compareTuples(tuple(item), cursor) < 0).slice(-page.limit)
  } else {
    selected = sorted.slice(page.from, page.from + page.limit)
  }
  const first = selected[0]
  const last = selected[selected.length - 1]
  return {
    items: selected,
    page: {
      totalItems: matching.length,
      hasMoreTotalItems: false,
      ...(first && { startCursor: encodeCursor(tuple(first)) }),
      ...(last && { endCursor: encodeCursor(tuple(last)) }),
    },
  }
}

/** Why a filter condition cannot be read, or `undefined` when it can. */
function checkCondition(name: string, condition: unknown): string | undefined {
  if (condition === null || Array.isArray(condition)) return `filter.${name} must be a value or an object of operators such as {"$in":[…]}`
  if (!isObject(condition)) return undefined
  for (const [operator, operand] of Object.entries(condition)) {
    if (!OPERATORS.has(operator)) return `filter.${name} uses the unknown operator "${operator}"; use ${[...OPERATORS].join(', ')}`
    if ((operator === '$in' || operator === '$notIn') && !Array.isArray(operand)) return `filter.${name}.${operator} must be an array`
    if (operator === '$exists' && typeof operand !== 'boolean') return `filter.${name}.$exists must be true or false`
  }
  return undefined
}

/** Whether one property value satisfies one filter condition. */
function matches(value: unknown, condition: unknown): boolean {
  const values = Array.isArray(value) ? value : [value]
  if (!isObject(condition)) return values.some((v) => same(v, condition))
  return Object.entries(condition).every(([operator, operand]) => {
    switch (operator) {
      case '$exists':
        return (value !== undefined && !(Array.isArray(value) && value.length === 0)) === operand
      case '$neq':
        return !values.some((v) => same(v, operand))
      case '$in':
        return values.some((v) => (operand as unknown[]).some((o) => same(v, o)))
      case '$notIn':
        return !values.some((v) => (operand as unknown[]).some((o) => same(v, o)))
      case '$like':
        return values.some((v) => typeof v === 'string' && likePattern(String(operand)).test(v))
      case '$gt':
        return values.some((v) => compareValues(v, operand) > 0)
      case '$gte':
        return values.some((v) => compareValues(v, operand) >= 0)
      case '$lt':
        return values.some((v) => v !== undefined && compareValues(v, operand) < 0)
      case '$lte':
        return values.some((v) => v !== undefined && compareValues(v, operand) <= 0)
      default:
        return values.some((v) => same(v, operand))
    }
  })
}

/** Keys travel as strings but may be sent as numbers; compare them as text. */
function same(a: unknown, b: unknown): boolean {
  return a !== undefined && (a === b || (typeof b === 'number' && String(b) === a))
}

/** `$like`: `*` is any run of characters, `?` one character, `\` escapes; the rest is literal. */
function likePattern(pattern: string): RegExp {
  let source = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!
    if (c === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern[++i]!)
    else if (c === '*') source += '.*'
    else if (c === '?') source += '.'
    else source += escapeRegExp(c)
  }
  return new RegExp(`^${source}$`, 's')
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Orders missing values last, numbers (and numeric keys) by value, the rest as text. */
function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0
  if (a === undefined || a === null) return 1
  if (b === undefined || b === null) return -1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  const [x, y] = [String(a), String(b)]
  if (/^\d+$/.test(x) && /^\d+$/.test(y)) return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0)
  return x < y ? -1 : x > y ? 1 : 0
}

function read(item: object, property: string): unknown {
  return (item as Record<string, unknown>)[property]
}

/** The `sort` criteria, or why they cannot be used. */
function sortOrder(sort: unknown, fields: SearchFields): { field: string; descending: boolean }[] | string {
  if (sort === undefined) return []
  if (!Array.isArray(sort)) return 'sort must be an array such as [{"field":"creationDate","order":"DESC"}]'
  const order: { field: string; descending: boolean }[] = []
  for (const criterion of sort) {
    if (!isObject(criterion) || typeof criterion.field !== 'string') return 'every sort entry needs a field'
    if (!fields.sort.includes(criterion.field)) return `cannot sort by "${criterion.field}"; sort by ${fields.sort.join(', ')}`
    const direction = criterion.order === undefined ? 'ASC' : String(criterion.order).toUpperCase()
    if (direction !== 'ASC' && direction !== 'DESC') return `sort order must be ASC or DESC, got ${JSON.stringify(criterion.order)}`
    order.push({ field: criterion.field, descending: direction === 'DESC' })
  }
  return order
}

type Page = { from: number; limit: number } | { from?: undefined; after?: string; before?: string; limit: number }

/** The `page` request, or why it cannot be used. */
function pageOf(page: unknown): Page | string {
  if (page === undefined) return { from: 0, limit: DEFAULT_LIMIT }
  if (!isObject(page)) return 'page must be an object such as {"from":0,"limit":10}'
  const limit = page.limit ?? DEFAULT_LIMIT
  if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > MAX_LIMIT) {
    return `page.limit must be a whole number from 1 to ${MAX_LIMIT}, got ${JSON.stringify(page.limit)}`
  }
  const cursors = ['after', 'before'].filter((name) => page[name] !== undefined)
  if (cursors.length > 0) {
    if (page.from !== undefined || cursors.length > 1) return 'page takes from, after or before, only one of them'
    const cursor = page[cursors[0]!]
    if (typeof cursor !== 'string') return `page.${cursors[0]} must be a cursor string`
    return { [cursors[0]!]: cursor, limit: limit as number }
  }
  const from = page.from ?? 0
  if (!Number.isInteger(from) || (from as number) < 0) return `page.from must be a whole number >= 0, got ${JSON.stringify(page.from)}`
  return { from: from as number, limit: limit as number }
}

/** Cursors are opaque to clients: base64 of the sort values and the key of the item they name. */
function encodeCursor(values: unknown[]): string {
  return base64Utf8(JSON.stringify(values))
}

function decodeCursor(cursor: string): unknown[] | undefined {
  try {
    const bytes = Uint8Array.from(atob(cursor), (c) => c.charCodeAt(0))
    const values = parseJson(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
    return Array.isArray(values) ? values : undefined
  } catch {
    return undefined
  }
}
