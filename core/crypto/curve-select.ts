/**
 * Which curve provider keys.ts uses: libsodium when it loaded and passed its self-test
 * (sodium-provider.ts), else node:crypto when it agrees with @noble (provider.ts), else @noble.
 * Tests and benches pin one with `setCurveProvider`.
 */
import { clearNodeKeyCache, nobleProvider, nodeProvider, nodeProviderAvailable, type CurveProvider } from './provider'
import { clearSodiumKeyCache, sodiumProvider } from './sodium-provider'

let current: CurveProvider = sodiumProvider ?? (nodeProviderAvailable ? nodeProvider : nobleProvider)

export function getCurveProvider(): CurveProvider {
  return current
}

/** Swaps the backend (tests, benches, or a host that must avoid native code). */
export function setCurveProvider(provider: CurveProvider): void {
  if (provider === nodeProvider && !nodeProviderAvailable) {
    throw new Error('node:crypto Ed25519/X25519 is not available in this runtime')
  }
  current = provider
}

/** Drops every cached signing key and KeyObject, of every provider (an account closed or locked). */
export function clearCurveKeyCache(): void {
  clearNodeKeyCache()
  clearSodiumKeyCache()
}
