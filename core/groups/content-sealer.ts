/**
 * The account's content key: what the engine stores about a group that is not a keystore entry
 * (chain states, message bodies) is sealed with it, so nothing secret sits in the clear in SQLite.
 * The key itself is a keystore entry, sealed under the host's wrapping key.
 */
import { randomBytes, secretboxOpen, secretboxSeal, wipe } from '../crypto'
import type { Keystore } from '../storage'

const CONTENT_KEY = 'content-key'
const encoder = new TextEncoder()
const decoder = new TextDecoder()

export class ContentSealer {
  private closed = false

  private constructor(private readonly key: Uint8Array) {}

  /** Loads the account's content key, creating it on first use. */
  static async load(keystore: Keystore): Promise<ContentSealer> {
    const existing = await keystore.get(CONTENT_KEY)
    if (existing) return new ContentSealer(existing)
    const key = randomBytes(32)
    await keystore.put(CONTENT_KEY, key)
    return new ContentSealer(key)
  }

  /** Seals and wipes `plain`. */
  seal(plain: Uint8Array): Uint8Array {
    this.mustBeOpen()
    const sealed = secretboxSeal(this.key, plain)
    wipe(plain)
    return sealed
  }

  /** The caller wipes the result once used. */
  open(sealed: Uint8Array): Uint8Array {
    this.mustBeOpen()
    return secretboxOpen(this.key, sealed)
  }

  sealText(text: string): Uint8Array {
    return this.seal(encoder.encode(text))
  }

  openText(sealed: Uint8Array): string {
    const plain = this.open(sealed)
    const text = decoder.decode(plain)
    wipe(plain)
    return text
  }

  /**
   * After this, `seal` and `open` throw. Work still in flight when the node stops (a received batch
   * whose signatures come back from the verify pool after shutdown) must fail, not seal chain states
   * under an all-zero key: that row would never open again and its group would be lost at the next start.
   */
  wipe(): void {
    this.closed = true
    wipe(this.key)
  }

  private mustBeOpen(): void {
    if (this.closed) throw new Error('content key closed: the node is stopping')
  }
}
