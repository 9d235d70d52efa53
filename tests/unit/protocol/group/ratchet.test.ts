import { describe, expect, it } from 'vitest'
import { deriveNextKeys, randomBytes } from '../../../../core/crypto'
import {
  DEFAULT_MAX_SKIP,
  deserializeReceiverChain,
  mergeEarlierKey,
  newSenderChain,
  nextSendKey,
  receiveKey,
  receiverChainFrom,
  serializeReceiverChain,
  shareableChainKey,
  wipeReceiverChain,
  type ReceiverChain,
  type SenderChain
} from '../../../../core/protocol/group'
import { ReceiverChainState } from '../../../../core/protocol/proto/group'
import { expectGroupError } from './helpers'

const groupPk = randomBytes(32)

/** Sender keys for counters 0..n-1 from a copy of the chain. */
function sendKeys(chain: SenderChain, n: number): Uint8Array[] {
  let c: SenderChain = { chainKey: chain.chainKey.slice(), counter: chain.counter }
  const keys: Uint8Array[] = []
  for (let i = 0; i < n; i++) {
    const step = nextSendKey(c, groupPk)
    expect(step.counter).toBe(chain.counter + i)
    keys.push(step.messageKey)
    c = step.next
  }
  return keys
}

describe('symmetric ratchet', () => {
  it('matches PROTOCOL.md: the key at counter c comes from chainKey c, then counter c+1', () => {
    const chain = newSenderChain()
    expect(chain.counter).toBe(0)
    const ref = deriveNextKeys(chain.chainKey, groupPk)
    const copy = chain.chainKey.slice()
    const step = nextSendKey(chain, groupPk)
    expect(step.counter).toBe(0)
    expect(step.messageKey).toEqual(ref.messageKey)
    expect(step.next).toEqual({ chainKey: ref.chainKey, counter: 1 })
    // The consumed chain was wiped and cannot be reused (no key/nonce reuse).
    expect(chain.chainKey.every((b) => b === 0)).toBe(true)
    expectGroupError(() => nextSendKey(chain, groupPk), 'ERR_KEY_USED')
    expect(copy).not.toEqual(chain.chainKey)
  })

  it('in order', () => {
    const sender = newSenderChain()
    const keys = sendKeys(sender, 10)
    let rx = receiverChainFrom(shareableChainKey(sender))
    for (let i = 0; i < 10; i++) {
      const r = receiveKey(rx, groupPk, i)
      expect(r.messageKey).toEqual(keys[i])
      expect(r.chain.skipped.size).toBe(0)
      rx = r.chain
    }
    expect(rx.counter).toBe(10)
  })

  it('out of order within maxSkip, and each key is deleted after use', () => {
    const sender = newSenderChain()
    const keys = sendKeys(sender, 20)
    let rx = receiverChainFrom(shareableChainKey(sender))
    const order = [5, 2, 19, 0, 1, 3, 4, 18, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]
    for (const c of order) {
      const r = receiveKey(rx, groupPk, c)
      expect(r.messageKey).toEqual(keys[c])
      expect(r.chain.skipped.has(c)).toBe(false)
      // Pure: the input chain still holds its state, so a failed body check can keep it.
      rx = r.chain
      expectGroupError(() => receiveKey(rx, groupPk, c), 'ERR_KEY_USED')
    }
    expect(rx.counter).toBe(20)
    expect(rx.skipped.size).toBe(0)
  })

  it('a returned chain shares skipped keys with its input; wiping one with the other spares them', () => {
    const sender = newSenderChain()
    const keys = sendKeys({ chainKey: sender.chainKey.slice(), counter: 0 }, 8)
    const rx0 = receiverChainFrom(shareableChainKey(sender))
    const r1 = receiveKey(rx0, groupPk, 3)
    const r2 = receiveKey(r1.chain, groupPk, 1)
    const used = r1.chain.skipped.get(1)!
    // Committed: the superseded chain goes, with the key just used, and nothing its successor holds.
    wipeReceiverChain(r1.chain, r2.chain)
    expect(r1.chain.chainKey.every((b) => b === 0)).toBe(true)
    expect(used.every((b) => b === 0)).toBe(true)
    expect(r2.chain.chainKey.some((b) => b !== 0)).toBe(true)
    expect([...r2.chain.skipped.keys()]).toEqual([0, 2])
    expect(r2.chain.skipped.get(0)).toEqual(keys[0])
    // The next message in order leaves the cache as it is: the same Map, not a copy of every key.
    const r3 = receiveKey(r2.chain, groupPk, 4)
    expect(r3.chain.skipped).toBe(r2.chain.skipped)
    wipeReceiverChain(r2.chain, r3.chain)
    expect(r3.chain.skipped.get(0)).toEqual(keys[0])
    // Not committed (a body check failed): the step's chain goes, and its input stays whole.
    const r4 = receiveKey(r3.chain, groupPk, 7)
    const fresh = r4.chain.skipped.get(5)!
    wipeReceiverChain(r4.chain, r3.chain)
    expect(fresh.every((b) => b === 0)).toBe(true)
    expect(r3.chain.chainKey.some((b) => b !== 0)).toBe(true)
    expect(r3.chain.skipped.get(0)).toEqual(keys[0])
    expect(receiveKey(r3.chain, groupPk, 2).messageKey).toEqual(keys[2])
  })

  it('a key evicted from the returned chain stays whole in the input chain', () => {
    const sender = newSenderChain()
    const keys = sendKeys({ chainKey: sender.chainKey.slice(), counter: 0 }, 12)
    const rx = receiveKey(receiverChainFrom(shareableChainKey(sender)), groupPk, 5, { maxCached: 5 }).chain
    const r = receiveKey(rx, groupPk, 8, { maxCached: 5 })
    expect([...r.chain.skipped.keys()]).toEqual([2, 3, 4, 6, 7])
    // The step is dropped: the input can still read what the step evicted.
    wipeReceiverChain(r.chain, rx)
    expect(receiveKey(rx, groupPk, 0, { maxCached: 5 }).messageKey).toEqual(keys[0])
    // Committed instead: the evicted keys are wiped with the superseded chain.
    const r2 = receiveKey(rx, groupPk, 8, { maxCached: 5 })
    const evicted = rx.skipped.get(0)!
    wipeReceiverChain(rx, r2.chain)
    expect(evicted.every((b) => b === 0)).toBe(true)
    expect(r2.chain.skipped.get(2)).toEqual(keys[2])
  })

  it('too far ahead → ERR_COUNTER_TOO_FAR; maxSkip is configurable', () => {
    const rx = receiverChainFrom(shareableChainKey(newSenderChain()))
    expectGroupError(() => receiveKey(rx, groupPk, DEFAULT_MAX_SKIP + 1), 'ERR_COUNTER_TOO_FAR')
    expect(receiveKey(rx, groupPk, DEFAULT_MAX_SKIP).chain.skipped.size).toBe(DEFAULT_MAX_SKIP)
    expectGroupError(() => receiveKey(rx, groupPk, 11, { maxSkip: 10 }), 'ERR_COUNTER_TOO_FAR')
    expect(receiveKey(rx, groupPk, 10, { maxSkip: 10 }).chain.counter).toBe(11)
    expectGroupError(() => receiveKey(rx, groupPk, -1), 'ERR_MALFORMED')
    expectGroupError(() => receiveKey(rx, groupPk, 1.5), 'ERR_MALFORMED')
    expectGroupError(() => receiveKey(rx, groupPk, 1, { maxSkip: -1 }), 'ERR_MALFORMED')
  })

  it('the skipped cache is bounded: oldest keys are evicted', () => {
    const sender = newSenderChain()
    const keys = sendKeys(sender, 30)
    const rx = receiverChainFrom(shareableChainKey(sender))
    const r = receiveKey(rx, groupPk, 25, { maxCached: 10 })
    expect([...r.chain.skipped.keys()]).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24])
    expectGroupError(() => receiveKey(r.chain, groupPk, 3, { maxCached: 10 }), 'ERR_KEY_USED')
    expect(receiveKey(r.chain, groupPk, 15, { maxCached: 10 }).messageKey).toEqual(keys[15])
  })

  it('forward secrecy: a chain received at counter 5 cannot reach messages 0..4', () => {
    const sender = newSenderChain()
    let s = sender
    for (let i = 0; i < 5; i++) s = nextSendKey(s, groupPk).next
    const rx = receiverChainFrom(shareableChainKey(s))
    expect(rx.counter).toBe(5)
    for (let c = 0; c < 5; c++) expectGroupError(() => receiveKey(rx, groupPk, c), 'ERR_KEY_USED')
    expect(receiveKey(rx, groupPk, 5).messageKey).toEqual(nextSendKey({ chainKey: s.chainKey.slice(), counter: 5 }, groupPk).messageKey)
  })

  it('serialization round-trips and is strict', () => {
    const sender = newSenderChain()
    const keys = sendKeys(sender, 12)
    let rx: ReceiverChain = receiverChainFrom(shareableChainKey(sender))
    rx = receiveKey(rx, groupPk, 8).chain
    rx = receiveKey(rx, groupPk, 3).chain
    const bytes = serializeReceiverChain(rx)
    const back = deserializeReceiverChain(bytes)
    expect(back.counter).toBe(9)
    expect(back.chainKey).toEqual(rx.chainKey)
    expect([...back.skipped.keys()]).toEqual([0, 1, 2, 4, 5, 6, 7])
    expect(receiveKey(back, groupPk, 4).messageKey).toEqual(keys[4])
    expect(receiveKey(back, groupPk, 11).messageKey).toEqual(keys[11])
    expectGroupError(() => receiveKey(back, groupPk, 3), 'ERR_KEY_USED')
    // Fresh chain at counter 0 (counter field omitted on the wire) too.
    const fresh = receiverChainFrom(shareableChainKey(newSenderChain()))
    expect(deserializeReceiverChain(serializeReceiverChain(fresh))).toEqual(fresh)
    // Garbage, trailing bytes, oversize.
    expectGroupError(() => deserializeReceiverChain(new Uint8Array([0xff])), 'ERR_MALFORMED')
    expectGroupError(() => deserializeReceiverChain(new Uint8Array([...bytes, 0x20, 0x01])), 'ERR_MALFORMED')
    expectGroupError(() => deserializeReceiverChain(new Uint8Array(2_000_000)), 'ERR_TOO_LARGE')
    expectGroupError(() => deserializeReceiverChain(new Uint8Array(0)), 'ERR_MALFORMED')
  })

  it('an earlier key of the same chain opens the messages before the chain, and leaves the chain where it is', () => {
    const sender = newSenderChain()
    const keys = sendKeys(sender, 2_700)
    // Keys handed at counters 0 (the earlier) and 10 (received first).
    let s: SenderChain = { chainKey: sender.chainKey.slice(), counter: 0 }
    const early = shareableChainKey(s)
    for (let i = 0; i < 10; i++) s = nextSendKey(s, groupPk).next
    let rx = receiverChainFrom(shareableChainKey(s))
    expect(rx.start).toBe(10)
    // 2,500 messages read (one, 2,000, skipped): the chain is past DEFAULT_MAX_SKIP from counter 0.
    for (let c = 10; c < 2_510; c++) if (c !== 2_000) rx = receiveKey(rx, groupPk, c).chain
    expect(rx.start).toBe(10)
    const merged = mergeEarlierKey(rx, early, groupPk)!
    expect(merged.counter).toBe(2_510)
    expect(merged.start).toBe(0)
    expect(merged.chainKey).toEqual(rx.chainKey)
    expect([...merged.skipped.keys()]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 2_000])
    for (let c = 0; c < 10; c++) expect(receiveKey(merged, groupPk, c).messageKey).toEqual(keys[c])
    expect(receiveKey(merged, groupPk, 2_000).messageKey).toEqual(keys[2_000])
    // Not set back: what comes next still opens (from counter 0 it would be 2,690 ahead).
    expect(receiveKey(merged, groupPk, 2_690).messageKey).toEqual(keys[2_690])
    // Read messages stay used.
    expectGroupError(() => receiveKey(merged, groupPk, 10), 'ERR_KEY_USED')
    // Pure: the chain given is untouched.
    expect(rx.start).toBe(10)
    expect(rx.skipped.has(0)).toBe(false)
    // Stored and loaded with its start; the same key again, or a later one, adds nothing.
    const back = deserializeReceiverChain(serializeReceiverChain(merged))
    expect(back.start).toBe(0)
    expect(mergeEarlierKey(back, early, groupPk)).toBeUndefined()
    expect(mergeEarlierKey(rx, shareableChainKey(s), groupPk)).toBeUndefined()
  })

  it('an earlier key further back than the cache holds is not derived; the merged range counts in the cache', () => {
    const sender = newSenderChain()
    let s: SenderChain = { chainKey: sender.chainKey.slice(), counter: 0 }
    const early = shareableChainKey(s)
    for (let i = 0; i < 30; i++) s = nextSendKey(s, groupPk).next
    const rx = receiveKey(receiverChainFrom(shareableChainKey(s)), groupPk, 35).chain
    expect(mergeEarlierKey(rx, early, groupPk, { maxCached: 29 })).toBeUndefined()
    const merged = mergeEarlierKey(rx, early, groupPk, { maxCached: 32 })!
    // 30 merged + 5 skipped (30..34): the 3 oldest evicted.
    expect([...merged.skipped.keys()]).toEqual(Array.from({ length: 32 }, (_, i) => i + 3))
    expect(merged.skipped.size).toBe(32)
  })

  it('a chain stored before chains kept their start loads with the lowest counter it holds', () => {
    const sender = newSenderChain()
    let rx = receiverChainFrom(shareableChainKey(sender))
    rx = receiveKey(rx, groupPk, 7).chain
    const legacy = ReceiverChainState.encode({ chainKey: rx.chainKey, counter: rx.counter, skipped: [...rx.skipped].map(([counter, messageKey]) => ({ counter, messageKey })) })
    expect(deserializeReceiverChain(legacy).start).toBe(0)
    const noSkips = ReceiverChainState.encode({ chainKey: rx.chainKey, counter: 9, skipped: [] })
    expect(deserializeReceiverChain(noSkips).start).toBe(9)
    // A start past the counter, or a skipped key before the start: refused.
    expectGroupError(() => deserializeReceiverChain(ReceiverChainState.encode({ chainKey: rx.chainKey, counter: 9, start: 10, skipped: [] })), 'ERR_MALFORMED')
    const k = new Uint8Array(32).fill(1)
    expectGroupError(() => deserializeReceiverChain(ReceiverChainState.encode({ chainKey: rx.chainKey, counter: 9, start: 5, skipped: [{ counter: 4, messageKey: k }] })), 'ERR_MALFORMED')
  })

  it('a wiped receiver chain is refused', () => {
    const rx = receiverChainFrom(shareableChainKey(newSenderChain()))
    wipeReceiverChain(rx)
    expectGroupError(() => receiveKey(rx, groupPk, 0), 'ERR_KEY_USED')
  })
})
