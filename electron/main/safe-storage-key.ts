/**
 * The desktop app's `EncryptionKeyProvider`: Electron's `safeStorage` adapted to the injected
 * interface of `./safe-storage-key-logic` (where the decisions, the file format and their tests
 * live). Call after `app` is ready: before that, Linux reports no backend.
 *
 * Electron 45 deprecates the synchronous `safeStorage` calls in favour of `*Async` ones, whose
 * decrypt also opens what the sync API sealed (so an upgrade keeps the key readable): the async API
 * is used when present, the sync one otherwise.
 */
import { safeStorage } from 'electron'
import type { Logger } from '../../core/log'
import { resolveKeyProvider, type ResolvedKeyProvider, type SafeStorageLike } from './safe-storage-key-logic'

type MaybeAsyncSafeStorage = typeof safeStorage & {
  isAsyncEncryptionAvailable?: () => Promise<boolean>
  encryptStringAsync?: (plainText: string) => Promise<Buffer>
  decryptStringAsync?: (encrypted: Buffer) => Promise<{ result: string; shouldReEncrypt: boolean }>
}

export function electronSafeStorage(): SafeStorageLike {
  const s = safeStorage as MaybeAsyncSafeStorage
  const hasAsync =
    typeof s.isAsyncEncryptionAvailable === 'function' && typeof s.encryptStringAsync === 'function' && typeof s.decryptStringAsync === 'function'
  return {
    isEncryptionAvailable: async () => (hasAsync ? await s.isAsyncEncryptionAvailable!() : s.isEncryptionAvailable()),
    encryptString: async (text) => new Uint8Array(hasAsync ? await s.encryptStringAsync!(text) : s.encryptString(text)),
    decryptString: async (sealed) => {
      const buf = Buffer.from(sealed)
      if (hasAsync) return s.decryptStringAsync!(buf)
      return { result: s.decryptString(buf), shouldReEncrypt: false }
    },
    ...(process.platform === 'linux' ? { selectedBackend: () => s.getSelectedStorageBackend() } : {})
  }
}

/** The provider for the node's data directory; throws SafeKeyError when the key cannot be opened. */
export function electronKeyProvider(dataDir: string, log: Logger): Promise<ResolvedKeyProvider> {
  return resolveKeyProvider(electronSafeStorage(), dataDir, log)
}
