// Received messages opened a batch at a time with their signatures checked on the verify pool
// (core/groups/batch-opener.ts): the same results as opening inline, a forged signature refused
// exactly as inline (the chain untouched), and a chain that changed in between opened inline.
import { afterAll, describe, expect, it } from 'vitest'
import { secretboxOpenWithNonce, secretboxSealWithNonce } from '../../../core/crypto'
import { PreparedOpens } from '../../../core/groups/batch-opener'
import type { BertyLogEntry } from '../../../core/groups/group-log'
import type { OpenGroup } from '../../../core/groups/types'
import { VerifyPool } from '../../../core/groups/verify-pool'
import {
  createMultiMemberGroup,
  keyId,
  newSenderChain,
  openMessageHeaders,
  receiverChainFrom,
  sealMessage,
  shareableChainKey,
  type ReceiverChain,
  type SenderChain
} from '../../../core/protocol/group'
import { MessageEnvelope, MessageHeaders as HeadersWire } from '../../../core/protocol/proto/wesh'
import { expectGroupError, newDevice } from '../protocol/group/helpers'

const pool = new VerifyPool(2)
afterAll(() => pool.close())

describe('PreparedOpens', () => {
  function setup() {
    const { secrets } = createMultiMemberGroup()
    const alice = newDevice()
    const xavier = newDevice()
    let aliceChain: SenderChain = newSenderChain()
    let xChain: SenderChain = newSenderChain()
    const chains = new Map<string, ReceiverChain>([
      [keyId(alice.pk), receiverChainFrom(shareableChainKey(aliceChain))],
      [keyId(xavier.pk), receiverChainFrom(shareableChainKey(xChain))]
    ])
    const g = { pk: secrets.groupPk, secrets, chains, ownSends: new Map() } as unknown as OpenGroup
    let n = 0
    const entry = (s: Uint8Array, writer: Uint8Array) => ({ hash: `h${n++}`, key: keyId(writer), payload: { v: 1, s } }) as unknown as BertyLogEntry
    const fromAlice = (text: string) => {
      const out = sealMessage(secrets, alice, aliceChain, { text, sentAtMs: 1 })
      aliceChain = out.next
      return entry(out.sealed, alice.pk)
    }
    const fromXavier = (text: string) => {
      const out = sealMessage(secrets, xavier, xChain, { text, sentAtMs: 1 })
      xChain = out.next
      return entry(out.sealed, xavier.pk)
    }
    /** An insider seals on Xavier's chain with Alice's key and claims Xavier: the signature is Alice's. */
    const forgedAsXavier = (text: string) => {
      const out = sealMessage(secrets, alice, xChain, { text, sentAtMs: 1 })
      xChain = out.next
      const env = MessageEnvelope.decode(out.sealed)
      const hw = HeadersWire.decode(secretboxOpenWithNonce(secrets.secret, env.nonce, env.messageHeaders))
      hw.devicePk = xavier.pk
      const forged = MessageEnvelope.encode({ ...env, messageHeaders: secretboxSealWithNonce(secrets.secret, env.nonce, HeadersWire.encode(hw)) })
      return entry(forged, xavier.pk)
    }
    /** What the pipeline does per entry: headers, the device's current chain, open, install. */
    const open = (prepared: PreparedOpens, e: BertyLogEntry) => {
      const headers = prepared.headers(e.hash) ?? openMessageHeaders(secrets, e.payload.s)
      const id = keyId(headers.devicePk)
      const opened = prepared.open(g.pk, e.hash, headers, g.chains.get(id)!)
      g.chains.set(id, opened.chain)
      return opened.payload.text
    }
    return { g, fromAlice, fromXavier, forgedAsXavier, open }
  }

  const noneProcessed = { processedStatus: () => undefined }

  it('opens a batch as inline opening would, signatures checked on the pool', async () => {
    const { g, fromAlice, fromXavier, open } = setup()
    const entries = [...Array.from({ length: 12 }, (_, i) => fromAlice(`a${i}`)), fromXavier('x0'), fromAlice('a12')]
    const prepared = await PreparedOpens.prepare(g, entries, noneProcessed, pool)
    expect(entries.every((e) => prepared.headers(e.hash) !== undefined)).toBe(true)
    expect(prepared.pending).toBe(14)
    expect(entries.map((e) => open(prepared, e))).toEqual([...Array.from({ length: 12 }, (_, i) => `a${i}`), 'x0', 'a12'])
    // Every one was taken from the prepared results, none opened inline.
    expect(prepared.pending).toBe(0)
    prepared.dispose()
    // The installed chains read on: a later message opens inline with them.
    const later = fromAlice('later')
    const inline = new PreparedOpens()
    expect(open(inline, later)).toBe('later')
  })

  it('prepares entries recorded as pending only for a retry, with the headers opened when they first came', async () => {
    const { g, fromAlice, open } = setup()
    const entries = Array.from({ length: 10 }, (_, i) => fromAlice(`p${i}`))
    const allPending = { processedStatus: () => 'pending' as const }
    const skipped = await PreparedOpens.prepare(g, entries, allPending, pool)
    expect(skipped.pending).toBe(0)
    skipped.dispose()
    const known = new Map(entries.map((e) => [e.hash, openMessageHeaders(g.secrets!, e.payload.s)]))
    let asked = 0
    const prepared = await PreparedOpens.prepare(g, entries, allPending, pool, {
      retry: true,
      known: (h) => {
        asked++
        return known.get(h)
      }
    })
    expect(asked).toBe(10)
    expect(prepared.pending).toBe(10)
    expect(prepared.headers(entries[3]!.hash)).toBe(known.get(entries[3]!.hash))
    expect(entries.map((e) => open(prepared, e))).toEqual(Array.from({ length: 10 }, (_, i) => `p${i}`))
    expect(prepared.pending).toBe(0)
    prepared.dispose()
  })

  it('refuses a forged signature as inline does, leaving the chain untouched for the real message', async () => {
    const { g, fromAlice, fromXavier, forgedAsXavier, open } = setup()
    const entries = [fromAlice('a0'), forgedAsXavier('forged'), fromXavier('x1'), ...Array.from({ length: 8 }, (_, i) => fromAlice(`b${i}`))]
    const prepared = await PreparedOpens.prepare(g, entries, noneProcessed, pool)
    expect(open(prepared, entries[0]!)).toBe('a0')
    const xBefore = g.chains.get(entries[2]!.key)
    expect(prepared.pending).toBe(10)
    expectGroupError(() => open(prepared, entries[1]!), 'ERR_BAD_SIGNATURE')
    expect(prepared.pending).toBe(9)
    // Xavier's chain did not move past the forged counter, and was not wiped: x1 opens (inline,
    // since its prepared result was derived from the forged step) and counter 0 stays skipped.
    expect(g.chains.get(entries[2]!.key)).toBe(xBefore)
    expect(open(prepared, entries[2]!)).toBe('x1')
    expect(g.chains.get(entries[2]!.key)!.skipped.has(0)).toBe(true)
    expect(entries.slice(3).map((e) => open(prepared, e))).toEqual(Array.from({ length: 8 }, (_, i) => `b${i}`))
    // Only x1's result (derived from the forged step) was left unused.
    expect(prepared.pending).toBe(1)
    prepared.dispose()
  })

  it('opens inline when the chain changed after preparing', async () => {
    const { g, fromAlice, open } = setup()
    const entries = Array.from({ length: 10 }, (_, i) => fromAlice(`a${i}`))
    const prepared = await PreparedOpens.prepare(g, entries, noneProcessed, pool)
    expect(open(prepared, entries[0]!)).toBe('a0')
    // Something else replaced the chain (a restart's reload, a retry): same state, another object.
    const id = entries[1]!.key
    const cur = g.chains.get(id)!
    g.chains.set(id, { chainKey: cur.chainKey.slice(), counter: cur.counter, skipped: new Map() })
    expect(entries.slice(1).map((e) => open(prepared, e))).toEqual(Array.from({ length: 9 }, (_, i) => `a${i + 1}`))
    expect(prepared.pending).toBe(9)
    prepared.dispose()
    expect(prepared.pending).toBe(0)
  })

  it('skips what the pipeline will not open: processed entries and entries of unknown devices', async () => {
    const { g, fromAlice, fromXavier } = setup()
    const done = fromAlice('done')
    const unknown = fromXavier('x')
    g.chains.delete(unknown.key)
    const prepared = await PreparedOpens.prepare(g, [done, unknown], { processedStatus: (_pk, h) => (h === done.hash ? 'ok' : undefined) }, pool)
    expect(prepared.headers(done.hash)).toBeUndefined()
    expect(prepared.headers(unknown.hash)).toBeDefined()
    prepared.dispose()
  })
})
