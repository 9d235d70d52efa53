import { chmodSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { randomBytes } from '../../../core/crypto'
import { openDatabase } from '../../../core/storage/database'
import { Keystore, fileKeyProvider, staticKeyProvider } from '../../../core/storage/keystore'
import { MAX_SECRET_BYTES } from '../../../core/storage/limits'
import { containsBytes, expectCode, tempDir } from './helpers'

const tmp = tempDir('keystore')
afterAll(() => tmp.cleanup())
const posix = process.platform !== 'win32'

function memoryKeystore(key = randomBytes(32)): Keystore {
  return new Keystore(openDatabase(':memory:'), staticKeyProvider(key))
}

describe('Keystore', () => {
  it('puts, gets, has and deletes named secrets', async () => {
    const ks = memoryKeystore()
    const secret = randomBytes(32)
    expect(await ks.has('a/b')).toBe(false)
    expect(await ks.get('a/b')).toBeUndefined()
    await ks.put('a/b', secret)
    expect(await ks.has('a/b')).toBe(true)
    expect(await ks.get('a/b')).toEqual(secret)
    await ks.put('a/b', new Uint8Array([1, 2, 3]))
    expect(await ks.get('a/b')).toEqual(new Uint8Array([1, 2, 3]))
    await ks.delete('a/b')
    expect(await ks.has('a/b')).toBe(false)
  })

  it('returns a copy the caller can wipe', async () => {
    const ks = memoryKeystore()
    const secret = randomBytes(32)
    await ks.put('s', secret)
    const first = await ks.get('s')
    first?.fill(0)
    expect(await ks.get('s')).toEqual(secret)
  })

  it('validates names and sizes', async () => {
    const ks = memoryKeystore()
    await expectCode(() => ks.put('.canary', new Uint8Array(1)), 'ERR_BAD_INPUT')
    await expectCode(() => ks.put('Upper', new Uint8Array(1)), 'ERR_BAD_INPUT')
    await expectCode(() => ks.put('', new Uint8Array(1)), 'ERR_BAD_INPUT')
    await expectCode(() => ks.put('x'.repeat(129), new Uint8Array(1)), 'ERR_BAD_INPUT')
    await expectCode(() => ks.put('s', 'secret' as unknown as Uint8Array), 'ERR_BAD_INPUT')
    await expectCode(() => ks.put('s', new Uint8Array(MAX_SECRET_BYTES + 1)), 'ERR_TOO_LARGE')
  })

  it('rejects a wrapping key of the wrong length', async () => {
    expect(() => staticKeyProvider(new Uint8Array(16))).toThrow(/32 bytes/)
    const ks = new Keystore(openDatabase(':memory:'), { getKey: async () => new Uint8Array(31) })
    await expectCode(() => ks.unlock(), 'ERR_BAD_INPUT')
  })

  it('fails with ERR_KEYSTORE_LOCKED under the wrong wrapping key, not with garbage', async () => {
    const path = tmp.path('wrong-key.sqlite')
    const db = openDatabase(path)
    await new Keystore(db, staticKeyProvider(randomBytes(32))).put('s', randomBytes(32))
    db.close()
    const db2 = openDatabase(path)
    const ks = new Keystore(db2, staticKeyProvider(randomBytes(32)))
    const err = await expectCode(() => ks.get('s'), 'ERR_KEYSTORE_LOCKED')
    expect(err.name).toBe('StorageError')
    await expectCode(() => ks.put('t', randomBytes(32)), 'ERR_KEYSTORE_LOCKED')
    db2.close()
  })

  it('detects tampered and swapped entries', async () => {
    const db = openDatabase(':memory:')
    const ks = new Keystore(db, staticKeyProvider(randomBytes(32)))
    await ks.put('a', randomBytes(32))
    await ks.put('b', randomBytes(32))
    const sealedOf = (name: string): Buffer =>
      db.sql.prepare<[string], { sealed: Buffer }>('SELECT sealed FROM keystore WHERE name = ?').get(name)!.sealed
    // Swap: b's box under a's name authenticates but names "b".
    db.sql.prepare('UPDATE keystore SET sealed = ? WHERE name = ?').run(sealedOf('b'), 'a')
    await expectCode(() => ks.get('a'), 'ERR_KEYSTORE_CORRUPT')
    const flipped = Buffer.from(sealedOf('b'))
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 1
    db.sql.prepare('UPDATE keystore SET sealed = ? WHERE name = ?').run(flipped, 'b')
    await expectCode(() => ks.get('b'), 'ERR_KEYSTORE_CORRUPT')
  })

  it('never writes a secret in the clear', async () => {
    const path = tmp.path('clear.sqlite')
    const db = openDatabase(path)
    const secret = randomBytes(32)
    await new Keystore(db, staticKeyProvider(randomBytes(32))).put('s', secret)
    const wal = readFileSync(`${path}-wal`)
    expect(containsBytes(wal, secret)).toBe(false)
    db.close()
    expect(containsBytes(readFileSync(path), secret)).toBe(false)
  })

  it('lock() forgets the key; the next call unlocks through the provider again', async () => {
    let calls = 0
    const key = randomBytes(32)
    const ks = new Keystore(openDatabase(':memory:'), {
      getKey: async () => {
        calls++
        return key.slice()
      }
    })
    await Promise.all([ks.put('a', new Uint8Array(1)), ks.put('b', new Uint8Array(1))])
    expect(calls).toBe(1)
    ks.lock()
    expect(ks.isUnlocked).toBe(false)
    expect(await ks.get('a')).toEqual(new Uint8Array(1))
    expect(calls).toBe(2)
  })

  it('transaction() rolls back every write if the callback throws', async () => {
    const ks = memoryKeystore()
    await expect(
      ks.transaction((tx) => {
        tx.put('a', new Uint8Array(1))
        throw new Error('abort')
      })
    ).rejects.toThrow('abort')
    expect(await ks.has('a')).toBe(false)
  })
})

describe('fileKeyProvider', () => {
  it.skipIf(!posix)('creates a 32-byte key file with mode 0600 and reuses it', async () => {
    const path = tmp.path('created.key')
    const provider = fileKeyProvider(path)
    const k1 = await provider.getKey()
    expect(k1).toHaveLength(32)
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(new Uint8Array(readFileSync(path))).toEqual(k1)
    expect(await fileKeyProvider(path).getKey()).toEqual(k1)
  })

  it('gives every concurrent first caller the same key', async () => {
    const path = tmp.path('race.key')
    const keys = await Promise.all(Array.from({ length: 8 }, async () => fileKeyProvider(path).getKey()))
    for (const k of keys) expect(k).toEqual(keys[0])
  })

  it.skipIf(!posix)('refuses a group/world readable key file with a clear message', async () => {
    const path = tmp.path('loose.key')
    writeFileSync(path, randomBytes(32), { mode: 0o644 })
    chmodSync(path, 0o644)
    const err = await expectCode(() => fileKeyProvider(path).getKey(), 'ERR_KEY_FILE_PERMISSIONS')
    expect(err.message).toContain('0644')
    expect(err.message).toContain('chmod 600')
  })

  it('refuses a key file of the wrong size', async () => {
    const path = tmp.path('short.key')
    writeFileSync(path, randomBytes(16), { mode: 0o600 })
    await expectCode(() => fileKeyProvider(path).getKey(), 'ERR_KEY_FILE_INVALID')
  })

  it.skipIf(!posix)('refuses a symlinked key file', async () => {
    const target = tmp.path('target.key')
    writeFileSync(target, randomBytes(32), { mode: 0o600 })
    const link = tmp.path('link.key')
    symlinkSync(target, link)
    await expectCode(() => fileKeyProvider(link).getKey(), 'ERR_KEY_FILE_INVALID')
  })

  it('unlocks a file-backed keystore across restarts', async () => {
    const dbPath = tmp.path('daemon.sqlite')
    const keyPath = tmp.path('daemon.key')
    const secret = randomBytes(32)
    const db = openDatabase(dbPath)
    await new Keystore(db, fileKeyProvider(keyPath)).put('s', secret)
    db.close()
    const db2 = openDatabase(dbPath)
    expect(await new Keystore(db2, fileKeyProvider(keyPath)).get('s')).toEqual(secret)
    db2.close()
  })
})
