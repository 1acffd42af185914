import { describe, expect, it } from 'vitest'
import { parseDotenv } from '../../src/credentials/dotenv.ts'

describe('parseDotenv', () => {
  it('turns \\n inside double quotes into a line break and keeps unknown escapes', () => {
    const { entries, issues } = parseDotenv('A="l1\\nl2 \\t \\" \\\\"\nB=\'l1\\nl2\'')
    expect(issues).toEqual([])
    expect(entries.get('A')).toBe('l1\nl2 \\t " \\')
    expect(entries.get('B')).toBe('l1\\nl2')
  })

  it('keeps multi-line quoted values', () => {
    expect(parseDotenv('A="x\ny"\nB=\'p\r\nq\'').entries).toEqual(
      new Map([
        ['A', 'x\ny'],
        ['B', 'p\nq'],
      ]),
    )
  })

  it('keeps __proto__ as plain data in a Map', () => {
    const { entries } = parseDotenv('__proto__=x\nconstructor=y')
    expect(entries.get('__proto__')).toBe('x')
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })

  it('lists at most 20 malformed lines and counts the rest', () => {
    const { issues } = parseDotenv(Array.from({ length: 50 }, (_, i) => `junk${i}`).join('\n'))
    expect(issues).toHaveLength(21)
    expect(issues[20]).toEqual({ variable: '(source)', message: '30 more malformed lines are not listed' })
  })

  it('cuts an unquoted value at " #" but not at "#"', () => {
    expect(parseDotenv('A=x#y # z\nB=\t#only comment').entries).toEqual(
      new Map([
        ['A', 'x#y'],
        ['B', ''],
      ]),
    )
  })
})
