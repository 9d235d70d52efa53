/**
 * The keystore's wrapping key in the desktop app, sealed by the OS (Keychain on macOS, DPAPI on
 * Windows, libsecret/KWallet on Linux) through Electron's `safeStorage`. Electron-free: the
 * `safeStorage` object is injected (`SafeStorageLike`), so the decision, the file format and
 * the persistence are tested in plain Node; `safe-storage-key.ts` passes the real one.
 *
 * File `keystore.key.safe` beside the database, mode 0600: `v1:` ‖ base64(safeStorage-sealed
 * base64(32-byte key)) ‖ `\n`. Created atomically (private temp file hard-linked into place, so it
 * appears complete or not at all), read without following symlinks, size-capped.
 *
 * Which key is used (`chooseKeySource`):
 * 1. a sealed file exists → it, and the OS store must be available (else a clear error: a new key
 *    would not open the existing account);
 * 2. else a plain key file (`key`, the daemon's format) exists → it: it was made when no OS store
 *    was available, and stays in use (logged as a warning) so the account keeps opening;
 * 3. else, if the OS store is available and real (on Linux, not `basic_text`, whose "encryption"
 *    is a hard-coded password) → a new sealed key;
 * 4. else → a new plain key file (`fileKeyProvider`), with a warning that it is protected only by
 *    file permissions.
 *
 * Claims: with an OS store, copying the data directory to another user or machine does not expose
 * the key. Disclaims: any process running as the same user can usually ask the OS store to unseal
 * it; the key passes through JavaScript strings (base64), which cannot be wiped.
 */
import { randomBytes } from 'node:crypto'
import {
  closeSync,
  constants as fsConstants,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync
} from 'node:fs'
import { join } from 'node:path'
import type { EncryptionKeyProvider } from '../../core/service/service'
import { WRAPPING_KEY_LENGTH, fileKeyProvider } from '../../core/storage/keystore'

export const SEALED_KEY_FILE = 'keystore.key.safe'
/** Same name as the headless daemon's key file, so a data directory can move between hosts. */
export const PLAIN_KEY_FILE = 'key'
const FORMAT_PREFIX = 'v1:'
/** A sealed 32-byte key is well under 1 KiB on every platform; anything larger is not ours. */
const MAX_SEALED_FILE_BYTES = 8 * 1024
const isPosix = process.platform !== 'win32'

/** The part of Electron's `safeStorage` used here, in async form (see `safe-storage-key.ts`). */
export interface SafeStorageLike {
  isEncryptionAvailable(): Promise<boolean>
  encryptString(plainText: string): Promise<Uint8Array>
  /** `shouldReEncrypt`: the OS rotated its key; re-seal with the current one. */
  decryptString(sealed: Uint8Array): Promise<{ result: string; shouldReEncrypt: boolean }>
  /** Linux only: Electron's `getSelectedStorageBackend()`; undefined elsewhere. */
  selectedBackend?(): string
}

export type SafeKeyErrorCode = 'ERR_SEALED_KEY_CORRUPT' | 'ERR_SEALED_KEY_UNAVAILABLE' | 'ERR_SEALED_KEY_FILE'

export class SafeKeyError extends Error {
  override readonly name = 'SafeKeyError'
  constructor(
    readonly code: SafeKeyErrorCode,
    message: string,
    options?: { cause?: unknown }
  ) {
    super(message, options)
  }
}

export type KeySource =
  | { kind: 'sealed'; create: boolean }
  | { kind: 'plain'; warning: string }
  | { kind: 'error'; error: SafeKeyError }

export interface KeySourceInput {
  sealedExists: boolean
  plainExists: boolean
  encryptionAvailable: boolean
  /** Linux backend name; undefined on macOS and Windows. */
  backend: string | undefined
}

/** Linux backends that do not protect anything (`basic_text`) or are not known yet. */
function osProtected(input: Pick<KeySourceInput, 'encryptionAvailable' | 'backend'>): boolean {
  if (!input.encryptionAvailable) return false
  return input.backend === undefined || (input.backend !== 'basic_text' && input.backend !== 'unknown')
}

export function chooseKeySource(input: KeySourceInput): KeySource {
  const protectedStore = osProtected(input)
  if (input.sealedExists) {
    if (protectedStore) return { kind: 'sealed', create: false }
    return {
      kind: 'error',
      error: new SafeKeyError(
        'ERR_SEALED_KEY_UNAVAILABLE',
        `The account key is sealed by the system keychain, which is not available now${input.backend ? ` (backend: ${input.backend})` : ''}. ` +
          'Unlock or start your keyring (log in to the desktop session), then start Berty again.'
      )
    }
  }
  if (input.plainExists) {
    return {
      kind: 'plain',
      warning: `the account key is in a plain key file (${PLAIN_KEY_FILE}) protected only by file permissions (mode 0600), not by the system keychain`
    }
  }
  if (protectedStore) return { kind: 'sealed', create: true }
  const why = !input.encryptionAvailable ? 'the system keychain is not available' : `the system keychain backend is "${input.backend}" (no real protection)`
  return {
    kind: 'plain',
    warning: `${why}: the account key is stored in a key file protected only by file permissions (mode 0600)`
  }
}

// --- file format -------------------------------------------------------------------------------

const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/

export function encodeSealedFile(sealed: Uint8Array): string {
  return `${FORMAT_PREFIX}${Buffer.from(sealed).toString('base64')}\n`
}

/** The sealed blob of a key file's text; SafeKeyError ERR_SEALED_KEY_CORRUPT on anything else. */
export function decodeSealedFile(text: string): Uint8Array {
  const body = text.trim()
  if (!body.startsWith(FORMAT_PREFIX)) {
    throw new SafeKeyError('ERR_SEALED_KEY_CORRUPT', `the sealed key file is damaged (unknown format; expected "${FORMAT_PREFIX}…")`)
  }
  const b64 = body.slice(FORMAT_PREFIX.length)
  if (b64.length === 0 || b64.length % 4 !== 0 || !BASE64_RE.test(b64)) {
    throw new SafeKeyError('ERR_SEALED_KEY_CORRUPT', 'the sealed key file is damaged (bad base64)')
  }
  return new Uint8Array(Buffer.from(b64, 'base64'))
}

/** The 32-byte key inside the unsealed text (base64 of the key). */
export function decodeKeyText(text: string): Uint8Array {
  if (text.length !== 44 || !BASE64_RE.test(text)) {
    throw new SafeKeyError('ERR_SEALED_KEY_CORRUPT', 'the sealed key file is damaged (the unsealed key is not 32 bytes of base64)')
  }
  const key = new Uint8Array(Buffer.from(text, 'base64'))
  if (key.length !== WRAPPING_KEY_LENGTH) {
    key.fill(0)
    throw new SafeKeyError('ERR_SEALED_KEY_CORRUPT', 'the sealed key file is damaged (wrong key length)')
  }
  return key
}

export async function sealKey(safe: SafeStorageLike, key: Uint8Array): Promise<Uint8Array> {
  if (key.length !== WRAPPING_KEY_LENGTH) throw new RangeError(`key must be ${WRAPPING_KEY_LENGTH} bytes`)
  return safe.encryptString(Buffer.from(key).toString('base64'))
}

export async function unsealKey(safe: SafeStorageLike, sealed: Uint8Array): Promise<{ key: Uint8Array; shouldReEncrypt: boolean }> {
  let result: string
  let shouldReEncrypt: boolean
  try {
    ;({ result, shouldReEncrypt } = await safe.decryptString(sealed))
  } catch (err) {
    throw new SafeKeyError(
      'ERR_SEALED_KEY_CORRUPT',
      'the system keychain could not unseal the account key (the key file is damaged, or was sealed by another user, machine or keyring)',
      { cause: err }
    )
  }
  return { key: decodeKeyText(result), shouldReEncrypt }
}

// --- persistence -------------------------------------------------------------------------------

function readSealedFile(path: string): string {
  const flags = fsConstants.O_RDONLY | (isPosix ? fsConstants.O_NOFOLLOW : 0)
  let fd: number
  try {
    fd = openSync(path, flags)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new SafeKeyError('ERR_SEALED_KEY_FILE', `${path} is a symbolic link`)
    throw err
  }
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) throw new SafeKeyError('ERR_SEALED_KEY_FILE', `${path} is not a regular file`)
    if (st.size > MAX_SEALED_FILE_BYTES) throw new SafeKeyError('ERR_SEALED_KEY_FILE', `${path} is too large to be a sealed key`)
    const buf = Buffer.alloc(st.size)
    let off = 0
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off)
      if (n === 0) break
      off += n
    }
    return buf.subarray(0, off).toString('utf8')
  } finally {
    closeSync(fd)
  }
}

function writePrivateTemp(path: string, text: string): string {
  const tmp = `${path}.${randomBytes(8).toString('hex')}.tmp`
  const fd = openSync(tmp, 'wx', 0o600)
  try {
    writeSync(fd, text)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  return tmp
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path)
  } catch {
    // Already gone.
  }
}

/** Creates the file only if absent (hard link fails on EEXIST); false when another writer won. */
function createExclusive(path: string, text: string): boolean {
  const tmp = writePrivateTemp(path, text)
  try {
    linkSync(tmp, path)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  } finally {
    removeQuietly(tmp)
  }
}

function replaceAtomically(path: string, text: string): void {
  const tmp = writePrivateTemp(path, text)
  try {
    renameSync(tmp, path)
  } catch (err) {
    removeQuietly(tmp)
    throw err
  }
}

function exists(path: string): boolean {
  try {
    lstatSync(path)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw err
  }
}

type Log = (level: 'info' | 'warn', msg: string, data?: Record<string, unknown>) => void

/** Provider over an existing (or, with `create`, new) sealed key file. Returns a fresh copy per call. */
export function sealedKeyProvider(safe: SafeStorageLike, path: string, log?: Log): EncryptionKeyProvider {
  const load = async (): Promise<Uint8Array> => {
    const { key, shouldReEncrypt } = await unsealKey(safe, decodeSealedFile(readSealedFile(path)))
    if (shouldReEncrypt) {
      try {
        replaceAtomically(path, encodeSealedFile(await sealKey(safe, key)))
        log?.('info', 'the account key was re-sealed with the keychain\'s current key')
      } catch (err) {
        // The old seal still opens; try again next start.
        log?.('warn', 'could not re-seal the account key', { error: err instanceof Error ? err.message : String(err) })
      }
    }
    return key
  }
  return {
    async getKey() {
      try {
        return await load()
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      }
      const fresh = new Uint8Array(randomBytes(WRAPPING_KEY_LENGTH))
      try {
        const sealed = await sealKey(safe, fresh)
        // Never persist a seal we cannot open: that would lock the account on the next start.
        const check = await unsealKey(safe, sealed)
        const same = Buffer.from(check.key).equals(Buffer.from(fresh))
        check.key.fill(0)
        if (!same) throw new SafeKeyError('ERR_SEALED_KEY_UNAVAILABLE', 'the system keychain did not return the key it sealed')
        if (!createExclusive(path, encodeSealedFile(sealed))) return await load()
        return fresh.slice()
      } finally {
        fresh.fill(0)
      }
    }
  }
}

export interface ResolvedKeyProvider {
  provider: EncryptionKeyProvider
  source: 'sealed' | 'plain'
  /** Set when the key is protected by file permissions only; show it to the user. */
  warning?: string
}

/** Picks and builds the provider for `dataDir` (see the module header); throws SafeKeyError. */
export async function resolveKeyProvider(safe: SafeStorageLike, dataDir: string, log?: Log): Promise<ResolvedKeyProvider> {
  const sealedPath = join(dataDir, SEALED_KEY_FILE)
  const plainPath = join(dataDir, PLAIN_KEY_FILE)
  let available = false
  try {
    available = await safe.isEncryptionAvailable()
  } catch {
    available = false
  }
  const source = chooseKeySource({
    sealedExists: exists(sealedPath),
    plainExists: exists(plainPath),
    encryptionAvailable: available,
    backend: safe.selectedBackend?.()
  })
  switch (source.kind) {
    case 'error':
      throw source.error
    case 'sealed':
      return { provider: sealedKeyProvider(safe, sealedPath, log), source: 'sealed' }
    case 'plain':
      log?.('warn', source.warning, { keyFile: plainPath })
      return { provider: fileKeyProvider(plainPath), source: 'plain', warning: source.warning }
  }
}
