import { afterAll, beforeAll } from 'vitest'
import {
  type CurveProvider,
  getCurveProvider,
  nobleProvider,
  nodeProvider,
  nodeProviderAvailable,
  setCurveProvider,
  sodiumProvider
} from '../../../core/crypto'

export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'))
export const toHex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex')

/** Every provider usable in this runtime; tests run each vector once per entry. */
export const providers: Array<[string, CurveProvider]> = [
  ['noble', nobleProvider],
  ...(nodeProviderAvailable ? ([['node', nodeProvider]] as Array<[string, CurveProvider]>) : []),
  ...(sodiumProvider ? ([['sodium', sodiumProvider]] as Array<[string, CurveProvider]>) : [])
]

/** Selects `provider` for the enclosing describe block and restores the previous one afterwards. */
export function useProvider(provider: CurveProvider): void {
  let previous: CurveProvider
  beforeAll(() => {
    previous = getCurveProvider()
    setCurveProvider(provider)
  })
  afterAll(() => setCurveProvider(previous))
}
