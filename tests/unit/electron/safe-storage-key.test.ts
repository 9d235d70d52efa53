import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  PLAIN_KEY_FILE,
  SEALED_KEY_FILE,
  SafeKeyError,
  chooseKeySource,
  decodeSealedFile,
  encodeSealedFile,
  resolveKeyProvider,
  sealKey,
  unsealKey,
  type SafeStorageLike
} from '../../../electron/main/safe-storage-key-logic'

/**
 * Stands in for Electron's safeStorage: AES-256-GCM under a key that belongs to "this user on this
 * machine", so another instance (another machine) or a flipped byte fails to decrypt, like the OS.
 */
function fakeSafeStorage(opts: { available?: boolean; backend?: string; rotate?: boolean } = {}): SafeStorageLike & { calls: string[] } {
  const osKey = randomBytes(32)
  const calls: string[] = []
  return {
    calls,
    isEncryptionAvailable: async () => opts.available ?? true,
    async encryptString(text) {
      calls.push('encrypt')
      if (opts.available === false) throw new Error('Encryption is not available.')
      const iv = randomBytes(12)
      const c = createCipheriv('aes-256-gcm', osKey, iv)
      const body = Buffer.concat([c.update(text, 'utf8'), c.final()])
      return new Uint8Array(Buffer.concat([Buffer.from('v10'), iv, c.getAuthTag(), body]))
    },
    async decryptString(sealed) {
      calls.push('decrypt')
      const buf = Buffer.from(sealed)
      if (buf.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.')
      const d = createDecipheriv('aes-256-gcm', osKey, buf.subarray(3, 15))
      d.setAuthTag(buf.subarray(15, 31))
      const result = Buffer.concat([d.update(buf.subarray(31)), d.final()]).toString('utf8')
      return { result, shouldReEncrypt: opts.rotate ?? false }
    },
    ...(opts.backend !== undefined ? { selectedBackend: () => opts.backend! } : {})
  }
}

const dirs: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'berty-safekey-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

const posix = process.platform !== 'win32'

describe('chooseKeySource', () => {
  const none = { sealedExists: false, plainExists: false }
  it('new install: sealed when the OS store is real, plain (with a warning) otherwise', () => {
    expect(chooseKeySource({ ...none, encryptionAvailable: true, backend: undefined })).toEqual({ kind: 'sealed', create: true })
    expect(chooseKeySource({ ...none, encryptionAvailable: true, backend: 'gnome_libsecret' })).toEqual({ kind: 'sealed', create: true })
    for (const [available, backend] of [
      [false, undefined],
      [true, 'basic_text'],
      [true, 'unknown'],
      [false, 'kwallet5']
    ] as const) {
      const src = chooseKeySource({ ...none, encryptionAvailable: available, backend })
      expect(src.kind, `${available} ${backend}`).toBe('plain')
      if (src.kind === 'plain') expect(src.warning).toMatch(/protected only by file permissions/)
    }
  })

  it('an existing sealed key needs the OS store; an existing plain key keeps being used', () => {
    expect(chooseKeySource({ sealedExists: true, plainExists: false, encryptionAvailable: true, backend: 'kwallet6' })).toEqual({
      kind: 'sealed',
      create: false
    })
    const locked = chooseKeySource({ sealedExists: true, plainExists: false, encryptionAvailable: false, backend: undefined })
    expect(locked.kind).toBe('error')
    if (locked.kind === 'error') {
      expect(locked.error).toBeInstanceOf(SafeKeyError)
      expect(locked.error.code).toBe('ERR_SEALED_KEY_UNAVAILABLE')
      expect(locked.error.message).toMatch(/keychain/)
    }
    expect(chooseKeySource({ sealedExists: false, plainExists: true, encryptionAvailable: true, backend: undefined }).kind).toBe('plain')
    // Both present: the sealed one wins.
    expect(chooseKeySource({ sealedExists: true, plainExists: true, encryptionAvailable: true, backend: undefined }).kind).toBe('sealed')
  })
})

describe('sealed key format', () => {
  it('round-trips a key through seal → file text → unseal', async () => {
    const safe = fakeSafeStorage()
    const key = new Uint8Array(randomBytes(32))
    const text = encodeSealedFile(await sealKey(safe, key))
    expect(text).toMatch(/^v1:[A-Za-z0-9+/]+=*\n$/)
    const { key: back } = await unsealKey(safe, decodeSealedFile(text))
    expect(Buffer.from(back).equals(Buffer.from(key))).toBe(true)
  })

  it('damaged files and blobs give a clear ERR_SEALED_KEY_CORRUPT', async () => {
    const safe = fakeSafeStorage()
    for (const text of ['', 'v2:AAAA', 'v1:', 'v1:not base64!', 'v1:AAA', 'junk']) {
      expect(() => decodeSealedFile(text), text).toThrow(expect.objectContaining({ name: 'SafeKeyError', code: 'ERR_SEALED_KEY_CORRUPT' }))
    }
    const sealed = await sealKey(safe, new Uint8Array(32).fill(7))
    sealed[sealed.length - 1]! ^= 1
    await expect(unsealKey(safe, sealed)).rejects.toMatchObject({ code: 'ERR_SEALED_KEY_CORRUPT', message: /could not unseal/ })
    // Sealed by another user/machine.
    await expect(unsealKey(fakeSafeStorage(), await sealKey(safe, new Uint8Array(32)))).rejects.toMatchObject({ code: 'ERR_SEALED_KEY_CORRUPT' })
    // Unseals, but not to a 32-byte base64 key.
    const wrong = await safe.encryptString(Buffer.alloc(16).toString('base64'))
    await expect(unsealKey(safe, wrong)).rejects.toMatchObject({ code: 'ERR_SEALED_KEY_CORRUPT', message: /not 32 bytes/ })
  })

  it('refuses to seal a key of the wrong size', async () => {
    await expect(sealKey(fakeSafeStorage(), new Uint8Array(31))).rejects.toThrow(RangeError)
  })
})

describe('resolveKeyProvider', () => {
  it('creates a sealed key once (mode 0600) and returns the same key on every start', async () => {
    const dir = tempDir()
    const safe = fakeSafeStorage()
    const first = await resolveKeyProvider(safe, dir)
    expect(first.source).toBe('sealed')
    expect(first.warning).toBeUndefined()
    const k1 = await first.provider.getKey()
    expect(k1).toHaveLength(32)
    const file = join(dir, SEALED_KEY_FILE)
    expect(readFileSync(file, 'utf8')).toMatch(/^v1:/)
    // The key itself is not in the file.
    expect(readFileSync(file, 'utf8')).not.toContain(Buffer.from(k1).toString('base64'))
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(existsSync(join(dir, PLAIN_KEY_FILE))).toBe(false)

    const again = await resolveKeyProvider(safe, dir)
    const k2 = await again.provider.getKey()
    expect(Buffer.from(k2).equals(Buffer.from(k1))).toBe(true)
    // A fresh copy each time: the keystore wipes what it gets.
    k2.fill(0)
    expect(Buffer.from(await again.provider.getKey()).equals(Buffer.from(k1))).toBe(true)
  })

  it('falls back to the plain key file when the OS store is unavailable, with a warning', async () => {
    const dir = tempDir()
    const logs: { level: string; msg: string }[] = []
    const safe = fakeSafeStorage({ available: false })
    const res = await resolveKeyProvider(safe, dir, (level, msg) => logs.push({ level, msg }))
    expect(res.source).toBe('plain')
    expect(res.warning).toMatch(/protected only by file permissions/)
    expect(logs).toEqual([{ level: 'warn', msg: res.warning }])
    expect(await res.provider.getKey()).toHaveLength(32)
    expect(existsSync(join(dir, PLAIN_KEY_FILE))).toBe(true)
    expect(existsSync(join(dir, SEALED_KEY_FILE))).toBe(false)
    expect(safe.calls).toEqual([])
  })

  it('treats the Linux basic_text backend as unavailable', async () => {
    const dir = tempDir()
    const res = await resolveKeyProvider(fakeSafeStorage({ backend: 'basic_text' }), dir)
    expect(res.source).toBe('plain')
    expect(res.warning).toMatch(/basic_text/)
  })

  it('keeps using a plain key made earlier, even once the OS store is available', async () => {
    const dir = tempDir()
    const before = await (await resolveKeyProvider(fakeSafeStorage({ available: false }), dir)).provider.getKey()
    const later = await resolveKeyProvider(fakeSafeStorage({ available: true }), dir)
    expect(later.source).toBe('plain')
    expect(Buffer.from(await later.provider.getKey()).equals(Buffer.from(before))).toBe(true)
  })

  it('a sealed key with the OS store gone is an error, not a new key', async () => {
    const dir = tempDir()
    await (await resolveKeyProvider(fakeSafeStorage(), dir)).provider.getKey()
    await expect(resolveKeyProvider(fakeSafeStorage({ available: false }), dir)).rejects.toMatchObject({ code: 'ERR_SEALED_KEY_UNAVAILABLE' })
    expect(existsSync(join(dir, PLAIN_KEY_FILE))).toBe(false)
  })

  it('a corrupt sealed file is a clear error', async () => {
    const dir = tempDir()
    const safe = fakeSafeStorage()
    await (await resolveKeyProvider(safe, dir)).provider.getKey()
    const file = join(dir, SEALED_KEY_FILE)
    const text = readFileSync(file, 'utf8')
    writeFileSync(file, text.replace(/^v1:(.)(.)/, (_m, a: string, b: string) => `v1:${b}${a === 'A' ? 'B' : 'A'}`))
    const res = await resolveKeyProvider(safe, dir)
    await expect(res.provider.getKey()).rejects.toMatchObject({ name: 'SafeKeyError', code: 'ERR_SEALED_KEY_CORRUPT' })
    writeFileSync(file, 'garbage')
    await expect(res.provider.getKey()).rejects.toMatchObject({ code: 'ERR_SEALED_KEY_CORRUPT' })
    // The damaged file is left for the user to inspect, not silently replaced.
    expect(readFileSync(file, 'utf8')).toBe('garbage')
  })

  it.skipIf(!posix)('refuses a symlinked or oversized sealed file', async () => {
    const dir = tempDir()
    const safe = fakeSafeStorage()
    const elsewhere = join(tempDir(), 'k')
    writeFileSync(elsewhere, encodeSealedFile(await sealKey(safe, new Uint8Array(32))))
    symlinkSync(elsewhere, join(dir, SEALED_KEY_FILE))
    const res = await resolveKeyProvider(safe, dir)
    await expect(res.provider.getKey()).rejects.toMatchObject({ code: 'ERR_SEALED_KEY_FILE', message: /symbolic link/ })

    const dir2 = tempDir()
    writeFileSync(join(dir2, SEALED_KEY_FILE), `v1:${'A'.repeat(20_000)}`)
    chmodSync(join(dir2, SEALED_KEY_FILE), 0o600)
    await expect((await resolveKeyProvider(safe, dir2)).provider.getKey()).rejects.toMatchObject({ code: 'ERR_SEALED_KEY_FILE' })
  })

  it('re-seals when the OS rotated its key, keeping the same wrapping key', async () => {
    const dir = tempDir()
    const safe = fakeSafeStorage({ rotate: true })
    const logs: string[] = []
    const res = await resolveKeyProvider(safe, dir, (_l, msg) => logs.push(msg))
    const k1 = await res.provider.getKey()
    const file = join(dir, SEALED_KEY_FILE)
    const before = readFileSync(file, 'utf8')
    const k2 = await res.provider.getKey()
    expect(Buffer.from(k2).equals(Buffer.from(k1))).toBe(true)
    expect(readFileSync(file, 'utf8')).not.toBe(before)
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(logs.some((m) => m.includes('re-sealed'))).toBe(true)
  })

  it('never persists a seal that does not open', async () => {
    const dir = tempDir()
    const safe = fakeSafeStorage()
    const broken: SafeStorageLike = { ...safe, decryptString: async () => ({ result: Buffer.alloc(32, 1).toString('base64'), shouldReEncrypt: false }) }
    const res = await resolveKeyProvider(broken, dir)
    await expect(res.provider.getKey()).rejects.toMatchObject({ code: 'ERR_SEALED_KEY_UNAVAILABLE' })
    expect(existsSync(join(dir, SEALED_KEY_FILE))).toBe(false)
  })
})
