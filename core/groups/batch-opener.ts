/**
 * Bulk opening of received messages (a catch-up, a burst): each message's device signature
 * (weshnet's `sig` over the plaintext) is checked on the verify pool's threads, many at once,
 * instead of one by one on the main thread, where it was the largest single cost of a catch-up.
 *
 * `prepare` walks the batch as the pipeline will (same skips, same chains), decrypts each message
 * it can with a working copy of the sender's chain, and verifies every signature in one pool
 * call. The pipeline then processes the batch as always, synchronously in one transaction, and
 * takes a prepared result only if the chain it is about to open with is the very chain the result
 * was prepared from (nothing changed the chain in between); otherwise, and for anything not
 * prepared, it opens inline as before. A bad signature is refused exactly as inline (the chain is
 * left untouched). Prepared secrets (plaintexts, chains never installed) are wiped by `dispose`.
 */
import { wipe } from '../crypto'
import {
  decodeVerifiedPlaintext,
  decryptMessageBody,
  GroupProtocolError,
  keyId,
  openMessageHeaders,
  openMessageWithChain,
  receiveKey,
  wipeReceiverChain,
  type MessageHeaders,
  type OpenedMessage,
  type ReceiverChain
} from '../protocol/group'
import type { MessageStore } from '../storage'
import type { BertyLogEntry } from './group-log'
import type { OpenGroup } from './types'
import type { VerifyItem, VerifyPool } from './verify-pool'

/** Batches smaller than this are opened inline: a pool round trip would cost more than it saves. */
export const PREPARE_MIN_ENTRIES = 8

interface Prepared {
  /** The chain this result was derived from; the result applies only to that exact object. */
  input: ReceiverChain
  next: ReceiverChain
  plaintext: Uint8Array
  ok: boolean
}

export class PreparedOpens {
  private readonly opens = new Map<string, Prepared>()
  private readonly headerCache = new Map<string, MessageHeaders>()
  /** Entries of a first (not retry) batch that had no processing record when prepared. */
  private readonly unrecorded = new Set<string>()
  private readonly installed = new Set<ReceiverChain>()

  /**
   * Decrypts what it can of `entries` (in order) and checks every signature on `verifier`.
   * `retry`: entries recorded as pending are prepared too (their chain key arrived); `known`: headers
   * opened earlier (entries that waited for a chain key), so they are not opened again.
   */
  static async prepare(
    g: OpenGroup,
    entries: readonly BertyLogEntry[],
    messages: Pick<MessageStore, 'processedStatus'>,
    verifier: Pick<VerifyPool, 'verifyMany'>,
    opts: { retry?: boolean; known?: (hash: string) => MessageHeaders | undefined } = {}
  ): Promise<PreparedOpens> {
    const out = new PreparedOpens()
    const secrets = g.secrets
    if (!secrets) return out
    const working = new Map<string, ReceiverChain>()
    const order: Prepared[] = []
    const items: VerifyItem[] = []
    for (const entry of entries) {
      const status = messages.processedStatus(g.pk, entry.hash)
      if ((status !== undefined && !(opts.retry && status === 'pending')) || g.ownSends.has(entry.payload.s)) continue
      if (status === undefined && !opts.retry) out.unrecorded.add(entry.hash)
      let headers: MessageHeaders
      try {
        headers = opts.known?.(entry.hash) ?? openMessageHeaders(secrets, entry.payload.s)
      } catch {
        continue // the pipeline rejects it inline, with the reason
      }
      out.headerCache.set(entry.hash, headers)
      const id = keyId(headers.devicePk)
      if (entry.key !== id) continue
      const chain = working.get(id) ?? g.chains.get(id)
      if (!chain || (headers.counter < chain.counter && !chain.skipped.has(headers.counter))) continue
      let step
      try {
        step = receiveKey(chain, g.pk, headers.counter)
      } catch {
        continue
      }
      let plaintext: Uint8Array
      try {
        plaintext = decryptMessageBody(step.messageKey, headers)
      } catch {
        wipeReceiverChain(step.chain)
        continue
      } finally {
        wipe(step.messageKey)
      }
      const p: Prepared = { input: chain, next: step.chain, plaintext, ok: false }
      out.opens.set(entry.hash, p)
      order.push(p)
      items.push([headers.devicePk, plaintext, headers.sig])
      working.set(id, step.chain)
    }
    try {
      const ok = await verifier.verifyMany(items)
      order.forEach((p, i) => (p.ok = ok[i] === true))
    } catch {
      // The pool is closing: nothing prepared is used, everything opens inline.
      out.dispose()
    }
    return out
  }

  /** Prepared results not used yet. */
  get pending(): number {
    return this.opens.size
  }

  /**
   * Whether `prepare` found no processing record for this entry (a first batch): the pipeline
   * need not look again. Batches of a group are processed one at a time (receive-queue.ts) and an
   * entry joins its log once, so nothing records it between `prepare` and the batch's transaction.
   */
  unrecordedAtPrepare(hash: string): boolean {
    return this.unrecorded.has(hash)
  }

  /** The message's headers, as `openMessageHeaders` gave them to `prepare`. */
  headers(hash: string): MessageHeaders | undefined {
    return this.headerCache.get(hash)
  }

  /** `openMessageWithChain`, or its prepared result when `chain` is the chain it was prepared from. */
  open(groupPk: Uint8Array, hash: string, headers: MessageHeaders, chain: ReceiverChain): OpenedMessage {
    const p = this.opens.get(hash)
    if (!p || p.input !== chain) return openMessageWithChain(groupPk, headers, chain)
    this.opens.delete(hash)
    try {
      if (!p.ok) throw new GroupProtocolError('ERR_BAD_SIGNATURE', 'message sig does not verify under devicePk')
      const payload = decodeVerifiedPlaintext(p.plaintext)
      // As openMessageWithChain: the input chain is superseded on success.
      wipeReceiverChain(chain)
      this.installed.add(p.next)
      return { payload, chain: p.next }
    } catch (err) {
      wipeReceiverChain(p.next)
      throw err
    } finally {
      wipe(p.plaintext)
    }
  }

  /** Wipes every prepared plaintext and every chain that was not installed. */
  dispose(): void {
    for (const p of this.opens.values()) {
      wipe(p.plaintext)
      if (!this.installed.has(p.next)) wipeReceiverChain(p.next)
    }
    this.opens.clear()
    this.headerCache.clear()
    this.unrecorded.clear()
    this.installed.clear()
  }
}
