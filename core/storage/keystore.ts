/**
 * Named secrets (account/device seeds, rendezvous seeds, the libp2p peer key) sealed at rest.
 *
 * Each entry is `secretboxSeal(wrappingKey, v1 ‖ u16be(len(name)) ‖ name ‖ secret)`: XSalsa20-Poly1305
 * with a random nonce under a 32-byte wrapping key from an {@link EncryptionKeyProvider}. Binding the
 * name inside the box stops someone with write access to the file from swapping two sealed rows
 * (e.g. making the device key be read as the account key).
 *
 * Claims: secrets never touch the file in the clear; a wrong wrapping key is reported as
 * `ERR_KEYSTORE_LOCKED` (checked against a canary entry) rather than returning garbage; a tampered or
 * swapped entry is `ERR_KEYSTORE_CORRUPT`; plaintext buffers are wiped once copied out.
 * Disclaims: protection is only as strong as where the wrapping key lives. With `fileKeyProvider` the
 * key sits beside the database guarded by file permissions: this defends against copying the database
 * alone (backups, sync folders), not against someone who can read the key file. JavaScript cannot
 * guarantee that no copy of a secret survives in the heap (strings, GC moves); we wipe what we own.
 *
 * ## Wrapping-key providers
 * - `fileKeyProvider(path)`: headless daemon. A random 32-byte key file created atomically with mode
 *   0600; refused if group/world accessible or not owned by the current user.
 * - `staticKeyProvider(key)`: tests.
 * - Electron (filled in by `electron/main`, core never imports electron): generate a random 32-byte key
 *   once, store `safeStorage.encryptString(base64(key))` in a file beside the database (e.g.
 *   `keystore.key.safe`, mode 0600, created with the `wx` flag), and implement
 *   `getKey()` as `base64decode(safeStorage.decryptString(readFileSync(file)))`. Check
 *   `safeStorage.isEncryptionAvailable()` first, and on Linux treat
 *   `safeStorage.getSelectedStorageBackend() === 'basic_text'` as "no OS protection": fall back to
 *   `fileKeyProvider` semantics (and tell the user) instead of pretending the key is protected.
 */
import {
  closeSync,
  constants as fsConstants,
  fstatSync,
  fsyncSync,
  linkSync,
  openSync,
  readSync,
  unlinkSync,
  writeSync
} from 'node:fs'
import { dirname } from 'node:path'
import type { Statement } from 'better-sqlite3'
import { CryptoError, randomBytes, secretboxOpen, secretboxSeal, wipe } from '../crypto'
import type { SqliteDatabase } from './database'
import { StorageError } from './errors'
import { MAX_SECRET_BYTES, asUint8Array, assertBytes } from './limits'

export const WRAPPING_KEY_LENGTH = 32

/**
 * Supplies the 32-byte key that seals keystore entries. `getKey` returns a buffer the caller owns:
 * the keystore keeps it while unlocked and wipes it on `lock()`/`close()`, so return a fresh copy.
 */
export interface EncryptionKeyProvider {
  getKey(): Promise<Uint8Array>
}

/** Sync handle on the keystore inside a {@link Keystore.transaction}. */
export interface KeystoreTx {
  put(name: string, secret: Uint8Array): void
  get(name: string): Uint8Array | undefined
  has(name: string): boolean
  delete(name: string): void
}

const FORMAT_VERSION = 1
/** Not a valid entry name (names cannot start with '.'), so it cannot collide with a caller's entry. */
const CANARY_NAME = '.canary'
const CANARY_PLAINTEXT = new TextEncoder().encode('berty keystore canary v1')
const NAME_RE = /^[a-z0-9][a-z0-9._/-]{0,127}$/
const encoder = new TextEncoder()

function assertName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !NAME_RE.test(name)) {
    throw new StorageError(
      'ERR_BAD_INPUT',
      'keystore entry name must be 1-128 chars of [a-z0-9._/-], starting with a letter or digit'
    )
  }
}

function frame(name: string, secret: Uint8Array): Uint8Array {
  const n = encoder.encode(name)
  const out = new Uint8Array(3 + n.length + secret.length)
  out[0] = FORMAT_VERSION
  out[1] = n.length >> 8
  out[2] = n.length & 0xff
  out.set(n, 3)
  out.set(secret, 3 + n.length)
  return out
}

/** Returns a copy of the secret if the frame names `name`; the caller wipes `plain`. */
function unframe(name: string, plain: Uint8Array): Uint8Array | undefined {
  if (plain.length < 3 || plain[0] !== FORMAT_VERSION) return undefined
  const nameLen = ((plain[1] as number) << 8) | (plain[2] as number)
  const expected = encoder.encode(name)
  if (nameLen !== expected.length || plain.length < 3 + nameLen) return undefined
  for (let i = 0; i < nameLen; i++) if (plain[3 + i] !== expected[i]) return undefined
  return plain.slice(3 + nameLen)
}

interface Row {
  sealed: Uint8Array
}

/** Exported so tests can assert every hot query is an index search (EXPLAIN QUERY PLAN). */
export const KEYSTORE_SQL = {
  get: 'SELECT sealed FROM keystore WHERE name = ?',
  has: 'SELECT 1 AS one FROM keystore WHERE name = ?',
  upsert: `INSERT INTO keystore (name, sealed, created_at) VALUES (?, ?, ?)
           ON CONFLICT(name) DO UPDATE SET sealed = excluded.sealed`,
  del: 'DELETE FROM keystore WHERE name = ?'
} as const

export class Keystore {
  readonly #db: SqliteDatabase
  readonly #provider: EncryptionKeyProvider
  readonly #now: () => number
  #key: Uint8Array | undefined
  #unlocking: Promise<Uint8Array> | undefined
  readonly #stmts: {
    get: Statement<[string], Row>
    has: Statement<[string], { one: number }>
    upsert: Statement<[string, Uint8Array, number]>
    del: Statement<[string]>
  }

  constructor(db: SqliteDatabase, provider: EncryptionKeyProvider, opts: { now?: () => number } = {}) {
    if (typeof provider?.getKey !== 'function') {
      throw new StorageError('ERR_BAD_INPUT', 'provider must implement getKey()')
    }
    this.#db = db
    this.#provider = provider
    this.#now = opts.now ?? Date.now
    const sql = db.sql
    this.#stmts = {
      get: sql.prepare<[string], Row>(KEYSTORE_SQL.get),
      has: sql.prepare<[string], { one: number }>(KEYSTORE_SQL.has),
      upsert: sql.prepare<[string, Uint8Array, number]>(KEYSTORE_SQL.upsert),
      del: sql.prepare<[string]>(KEYSTORE_SQL.del)
    }
  }

  get isUnlocked(): boolean {
    return this.#key !== undefined
  }

  /**
   * Fetches the wrapping key and checks it against the canary entry (created on first unlock).
   * Throws `ERR_KEYSTORE_LOCKED` if the key does not open this keystore. Idempotent.
   */
  async unlock(): Promise<void> {
    await this.#getKey()
  }

  /** Forgets the wrapping key (wiped); the next operation unlocks again through the provider. */
  lock(): void {
    wipe(this.#key)
    this.#key = undefined
  }

  async put(name: string, secret: Uint8Array): Promise<void> {
    await this.transaction((tx) => tx.put(name, secret))
  }

  /** Returns a copy of the secret; the caller wipes it when done. */
  async get(name: string): Promise<Uint8Array | undefined> {
    return await this.transaction((tx) => tx.get(name))
  }

  async has(name: string): Promise<boolean> {
    assertName(name)
    this.#db.assertOpen()
    return this.#stmts.has.get(name) !== undefined
  }

  async delete(name: string): Promise<void> {
    assertName(name)
    this.#db.durable(() => this.#stmts.del.run(name))
  }

  /**
   * Runs `fn` with a synchronous keystore handle inside one durable database transaction, so callers
   * can write keystore entries and their own rows atomically (e.g. account creation).
   */
  async transaction<T>(fn: (tx: KeystoreTx) => T): Promise<T> {
    const key = await this.#getKey()
    const tx: KeystoreTx = {
      put: (name, secret) => this.#putSync(key, name, secret),
      get: (name) => this.#getSync(key, name),
      has: (name) => {
        assertName(name)
        return this.#stmts.has.get(name) !== undefined
      },
      delete: (name) => {
        assertName(name)
        this.#stmts.del.run(name)
      }
    }
    return this.#db.durable(() => fn(tx))
  }

  #putSync(key: Uint8Array, name: string, secret: Uint8Array): void {
    assertName(name)
    assertBytes(secret, 'secret', MAX_SECRET_BYTES)
    const plain = frame(name, secret)
    try {
      this.#stmts.upsert.run(name, secretboxSeal(key, plain), this.#now())
    } finally {
      wipe(plain)
    }
  }

  #getSync(key: Uint8Array, name: string): Uint8Array | undefined {
    assertName(name)
    const row = this.#stmts.get.get(name)
    if (row === undefined) return undefined
    let plain: Uint8Array | undefined
    try {
      plain = secretboxOpen(key, asUint8Array(row.sealed))
    } catch (err) {
      // The canary opened with this key, so a failure here is tampering, not a wrong key.
      throw new StorageError('ERR_KEYSTORE_CORRUPT', `keystore entry "${name}" failed authentication`, {
        cause: err
      })
    }
    try {
      const secret = unframe(name, plain)
      if (secret === undefined) {
        throw new StorageError('ERR_KEYSTORE_CORRUPT', `keystore entry "${name}" is not bound to its name`)
      }
      return secret
    } finally {
      wipe(plain)
    }
  }

  async #getKey(): Promise<Uint8Array> {
    this.#db.assertOpen()
    if (this.#key !== undefined) return this.#key
    // Concurrent first calls share one provider round-trip (which may prompt the OS keychain).
    this.#unlocking ??= this.#fetchAndCheckKey().finally(() => {
      this.#unlocking = undefined
    })
    return await this.#unlocking
  }

  async #fetchAndCheckKey(): Promise<Uint8Array> {
    const provided = await this.#provider.getKey()
    if (!(provided instanceof Uint8Array) || provided.length !== WRAPPING_KEY_LENGTH) {
      throw new StorageError('ERR_BAD_INPUT', `wrapping key must be ${WRAPPING_KEY_LENGTH} bytes`)
    }
    const key = provided.slice()
    wipe(provided)
    try {
      this.#db.assertOpen()
      const row = this.#stmts.get.get(CANARY_NAME)
      if (row === undefined) {
        const plain = frame(CANARY_NAME, CANARY_PLAINTEXT)
        this.#db.durable(() => this.#stmts.upsert.run(CANARY_NAME, secretboxSeal(key, plain), this.#now()))
      } else {
        let plain: Uint8Array
        try {
          plain = secretboxOpen(key, asUint8Array(row.sealed))
        } catch (err) {
          if (err instanceof CryptoError) {
            throw new StorageError(
              'ERR_KEYSTORE_LOCKED',
              'the wrapping key does not open this keystore (wrong key file or OS keychain entry?)'
            )
          }
          throw err
        }
        wipe(plain)
      }
    } catch (err) {
      wipe(key)
      throw err
    }
    if (this.#key !== undefined) {
      wipe(key)
      return this.#key
    }
    this.#key = key
    return key
  }
}

/** Test provider: hands out copies of a fixed key. */
export function staticKeyProvider(key: Uint8Array): EncryptionKeyProvider {
  if (!(key instanceof Uint8Array) || key.length !== WRAPPING_KEY_LENGTH) {
    throw new StorageError('ERR_BAD_INPUT', `wrapping key must be ${WRAPPING_KEY_LENGTH} bytes`)
  }
  const kept = key.slice()
  return { getKey: async () => kept.slice() }
}

const isPosix = process.platform !== 'win32'

function readKeyFile(path: string): Uint8Array {
  // O_NOFOLLOW: a symlink planted at the key path must not redirect us to another file.
  const flags = fsConstants.O_RDONLY | (isPosix ? fsConstants.O_NOFOLLOW : 0)
  let fd: number
  try {
    fd = openSync(path, flags)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ELOOP') throw new StorageError('ERR_KEY_FILE_INVALID', `key file ${path} is a symbolic link`)
    throw err
  }
  try {
    // fstat on the open descriptor: no window between checking and reading.
    const st = fstatSync(fd)
    if (!st.isFile()) throw new StorageError('ERR_KEY_FILE_INVALID', `key file ${path} is not a regular file`)
    if (isPosix) {
      if ((st.mode & 0o077) !== 0) {
        const mode = (st.mode & 0o777).toString(8).padStart(4, '0')
        throw new StorageError(
          'ERR_KEY_FILE_PERMISSIONS',
          `key file ${path} is accessible by group or others (mode ${mode}); run: chmod 600 ${path}`
        )
      }
      const uid = process.getuid?.()
      if (uid !== undefined && st.uid !== uid) {
        throw new StorageError('ERR_KEY_FILE_PERMISSIONS', `key file ${path} is not owned by the current user`)
      }
    }
    if (st.size !== WRAPPING_KEY_LENGTH) {
      throw new StorageError('ERR_KEY_FILE_INVALID', `key file ${path} must be exactly ${WRAPPING_KEY_LENGTH} bytes`)
    }
    const key = new Uint8Array(WRAPPING_KEY_LENGTH)
    let off = 0
    while (off < key.length) {
      const n = readSync(fd, key, off, key.length - off, off)
      if (n === 0) break
      off += n
    }
    if (off !== key.length) {
      wipe(key)
      throw new StorageError('ERR_KEY_FILE_INVALID', `key file ${path} is truncated`)
    }
    return key
  } finally {
    closeSync(fd)
  }
}

/**
 * Writes a new random key to a private temp file, then hard-links it into place: `link` fails if
 * the target exists, so the key file appears atomically and complete, and two processes racing on
 * first start both end up reading the same key.
 */
function createKeyFile(path: string): boolean {
  const tmp = `${path}.${Buffer.from(randomBytes(8)).toString('hex')}.tmp`
  const key = randomBytes(WRAPPING_KEY_LENGTH)
  try {
    const fd = openSync(tmp, 'wx', 0o600)
    try {
      writeSync(fd, key)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    try {
      linkSync(tmp, path)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
      throw err
    }
    syncDir(dirname(path))
    return true
  } finally {
    wipe(key)
    try {
      unlinkSync(tmp)
    } catch {
      // Already gone or never created: nothing to clean up.
    }
  }
}

function syncDir(dir: string): void {
  if (!isPosix) return
  try {
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // Some filesystems refuse fsync on directories; the key file itself is already synced.
  }
}

/**
 * Headless-daemon provider: a random 32-byte key in `path`, created on first use with mode 0600.
 * Refuses a key file that is group/world accessible, not owned by us, a symlink, or the wrong size.
 */
export function fileKeyProvider(path: string): EncryptionKeyProvider {
  if (typeof path !== 'string' || path.length === 0) {
    throw new StorageError('ERR_BAD_INPUT', 'key file path must be a non-empty string')
  }
  return {
    async getKey() {
      try {
        return readKeyFile(path)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      }
      createKeyFile(path)
      return readKeyFile(path)
    }
  }
}
