// @vitest-environment happy-dom
/**
 * The browser stack in one context: several "tabs", each with its own auth object, its own
 * indexedDBStore instance over the same database and its own webLocksCoordinator over one lock
 * manager (a stand-in for navigator.locks, which happy-dom lacks). Real Chromium runs the same in
 * test/browser/tabs.chromium.test.ts.
 */
import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { indexedDBStore, webLocksCoordinator } from '../../src/browser.ts'
import { harness } from '../helpers/harness.ts'
import { inContextLockManager } from './lock-manager.ts'
import { freshDbName } from './raw-idb.ts'

describe('tabs sharing IndexedDB and Web Locks', () => {
  it('8 tabs cold-start with one token request', async () => {
    const h = harness()
    const dbName = freshDbName('tabs')
    const locks = inContextLockManager()
    const channelName = `tabs-${dbName}`
    const tabs = Array.from({ length: 8 }, () =>
      h.make({ store: indexedDBStore({ dbName }), coordinator: webLocksCoordinator({ locks, channelName }) }),
    )
    const tokens = await Promise.all(tabs.map((tab) => tab.getToken()))
    expect(new Set(tokens).size).toBe(1)
    expect(h.server.requests()).toBe(1)
    for (const tab of tabs) tab.close()
  })

  it('a tab opened later starts with the token the others have, with no request', async () => {
    const h = harness()
    const dbName = freshDbName('late-tab')
    const locks = inContextLockManager()
    const open = () =>
      h.make({ store: indexedDBStore({ dbName }), coordinator: webLocksCoordinator({ locks, channelName: `late-${dbName}` }) })
    const first = open()
    const token = await first.getToken('tasklist')
    const late = open()
    expect(await late.getToken('tasklist')).toBe(token)
    expect(h.server.requests()).toBe(1)
    expect(locks.granted).toBe(1)
    first.close()
    late.close()
  })
})
