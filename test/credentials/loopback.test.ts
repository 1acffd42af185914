import { describe, expect, it } from 'vitest'
import { isLoopbackHost } from '../../src/credentials/index.ts'

const host = (url: string) => new URL(url).hostname

describe('isLoopbackHost', () => {
  it.each([
    'http://localhost',
    'http://LocalHost:8080',
    'http://127.0.0.1',
    'http://127.255.255.254',
    'http://127.1',
    'http://0x7f.0.0.1',
    'http://[::1]:18080',
    'http://[0:0:0:0:0:0:0:1]',
  ])('accepts %s', (url) => expect(isLoopbackHost(host(url))).toBe(true))

  it.each([
    'http://localhost.example.com',
    'http://foo.localhost',
    'http://128.0.0.1',
    'http://10.0.0.1',
    'http://[::2]',
    'http://[::ffff:127.0.0.1]',
    'http://0.0.0.0',
    'http://example.com',
  ])('refuses %s', (url) => expect(isLoopbackHost(host(url))).toBe(false))

  it('accepts a bare ::1 and refuses malformed dotted quads', () => {
    expect(isLoopbackHost('::1')).toBe(true)
    expect(isLoopbackHost('127.0.0.256')).toBe(false)
    expect(isLoopbackHost('127.0.0')).toBe(false)
    expect(isLoopbackHost('127.0.0.1.evil.com')).toBe(false)
  })
})
