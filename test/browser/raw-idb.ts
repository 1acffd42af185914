/**
 * IndexedDB read and written with the raw API of fake-indexeddb, not through the store under test:
 * what another program, devtools or a copied database would see.
 */
import { indexedDB as fakeIndexedDB } from 'fake-indexeddb'

function open(dbName: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = fakeIndexedDB.open(dbName)
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
}

function done(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve()
    transaction.onerror = transaction.onabort = () => reject(transaction.error)
  })
}

/** Every key and value in `storeName` of `dbName`. */
export async function rawEntries(dbName: string, storeName = 'tokens'): Promise<Array<[IDBValidKey, unknown]>> {
  const db = await open(dbName)
  try {
    const transaction = db.transaction(storeName, 'readonly')
    const store = transaction.objectStore(storeName)
    const keys = store.getAllKeys()
    const values = store.getAll()
    await done(transaction)
    return keys.result.map((key, i) => [key, values.result[i]])
  } finally {
    db.close()
  }
}

/** Puts `entries` into `storeName` of `dbName` (which must already have that object store). */
export async function putRaw(dbName: string, entries: ReadonlyArray<readonly [IDBValidKey, unknown]>, storeName = 'tokens'): Promise<void> {
  const db = await open(dbName)
  try {
    const transaction = db.transaction(storeName, 'readwrite')
    for (const [key, value] of entries) transaction.objectStore(storeName).put(value, key)
    await done(transaction)
  } finally {
    db.close()
  }
}

let count = 0
/** A database name no other test uses. */
export function freshDbName(label: string): string {
  return `test-${label}-${++count}-${Math.random().toString(36).slice(2)}`
}

/** The one entry that is not a token record (its key is not a string): where the encryption key lives. */
export async function rawKeyEntry(dbName: string): Promise<[IDBValidKey, unknown]> {
  const entries = (await rawEntries(dbName)).filter(([key]) => typeof key !== 'string')
  if (entries.length !== 1) throw new Error(`expected one key entry, found ${entries.length}`)
  return entries[0]!
}
