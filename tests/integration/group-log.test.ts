// GroupLog + the group sync service between real libp2p nodes over loopback TCP: live gossip,
// bulk catch-up, hop-by-hop relay, and rejection of outsiders' entries.
import { randomBytes } from 'node:crypto'
import { MemoryStorage } from '@orbitdb/core'
import { afterEach, describe, expect, it } from 'vitest'
import { ed25519PublicFromSeed } from '../../core/crypto'
import { GroupLog, type BertyLogEntry } from '../../core/groups/group-log'
import { groupSync, syncComponentsOf, type GroupSync } from '../../core/groups/sync'
import { createLibp2pNode, peerKeyFromSeed, type BertyLibp2p } from '../../core/net/libp2p'
import { poll } from './helpers'

interface Keys {
  signSeed: Uint8Array
  signPub: Uint8Array
  linkKey: Uint8Array
}

function groupKeys(): Keys {
  const signSeed = new Uint8Array(randomBytes(32))
  return { signSeed, signPub: ed25519PublicFromSeed(signSeed), linkKey: new Uint8Array(randomBytes(32)) }
}

interface Peer {
  libp2p: BertyLibp2p
  replicator: GroupSync
  logs: GroupLog[]
  received: BertyLogEntry[]
  warnings: string[]
  /** Resolves once a warning matching `re` has been logged. */
  waitForWarning(re: RegExp): Promise<void>
  /** `links`: keep each entry's links and writer, as the app's logs do (the writer clock needs them). */
  open(keys: Keys, opts?: { write?: boolean; signSeed?: Uint8Array; links?: boolean }): Promise<GroupLog>
  waitFor(count: number): Promise<void>
}

const peers: Peer[] = []
const TOPIC = '/berty/log/1/msg/test'
const LOG_ID = '/berty/1/test/msg'

async function startPeer(opts: { settleMs?: number } = {}): Promise<Peer> {
  const libp2p = await createLibp2pNode({
    privateKey: await peerKeyFromSeed(new Uint8Array(randomBytes(32))),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    webrtc: false,
    start: true
  })
  const warnings: string[] = []
  const warningWaiters: Array<{ re: RegExp; resolve: () => void }> = []
  const replicator = groupSync({
    antiEntropyMs: 0,
    ...(opts.settleMs !== undefined ? { settleMs: opts.settleMs } : {}),
    log: (level, msg, data) => {
      if (level !== 'warn') return
      const line = `${msg} ${JSON.stringify(data)}`
      warnings.push(line)
      for (const w of [...warningWaiters]) {
        if (w.re.test(line)) {
          warningWaiters.splice(warningWaiters.indexOf(w), 1)
          w.resolve()
        }
      }
    }
  })(syncComponentsOf(libp2p))
  await replicator.start()
  const received: BertyLogEntry[] = []
  const waiters: Array<{ count: number; resolve: () => void }> = []
  const peer: Peer = {
    libp2p,
    replicator,
    logs: [],
    received,
    warnings,
    waitForWarning(re) {
      if (warnings.some((w) => re.test(w))) return Promise.resolve()
      return new Promise((resolve) => warningWaiters.push({ re, resolve }))
    },
    async open(keys, opts = {}) {
      const log = await GroupLog.open({
        logId: LOG_ID,
        // A peer given its own signing seed believes in its own group key: that is how an
        // outsider (or a rogue writer) sees the group.
        signPub: opts.signSeed ? ed25519PublicFromSeed(opts.signSeed) : keys.signPub,
        linkKey: keys.linkKey,
        storage: {
          entries: await MemoryStorage(),
          heads: await MemoryStorage(),
          index: await MemoryStorage(),
          ...(opts.links ? { links: await MemoryStorage() } : {})
        },
        ...(opts.write !== false ? { signSeed: opts.signSeed ?? keys.signSeed, writerSeed: new Uint8Array(randomBytes(32)) } : {})
      })
      peer.logs.push(log)
      replicator.add({
        log,
        topic: TOPIC,
        onEntries: (entries) => {
          received.push(...entries)
          for (const w of [...waiters]) {
            if (received.length >= w.count) {
              waiters.splice(waiters.indexOf(w), 1)
              w.resolve()
            }
          }
        }
      })
      return log
    },
    waitFor(count) {
      if (received.length >= count) return Promise.resolve()
      return new Promise((resolve) => waiters.push({ count, resolve }))
    }
  }
  peers.push(peer)
  return peer
}

async function connect(a: Peer, b: Peer): Promise<void> {
  await a.libp2p.dial(b.libp2p.getMultiaddrs(), { signal: AbortSignal.timeout(10_000) })
}

afterEach(async () => {
  for (const p of peers.splice(0)) {
    await p.replicator.stop()
    for (const l of p.logs) await l.close()
    await p.libp2p.stop()
  }
})

const text = (s: string) => new TextEncoder().encode(s)

/** Copies entries between logs the way a pull lands them: decoded, verified, joined. */
async function land(from: GroupLog, to: GroupLog, hashes?: Iterable<string>): Promise<void> {
  const all: BertyLogEntry[] = []
  for await (const e of from.traverse()) all.push(e)
  const pick = hashes ? new Set(hashes) : undefined
  const blocks = new Map<string, { entry: BertyLogEntry; bytes: Uint8Array }>()
  for (const e of all) {
    if ((pick && !pick.has(e.hash)) || (await to.has(e.hash))) continue
    const bytes = (await from.getBytes(e.hash))!
    const entry = await to.decode(bytes)
    expect(await to.verifyReceived(entry)).toBeNull()
    blocks.set(entry.hash, { entry, bytes })
  }
  if (blocks.size > 0) await to.joinVerified(blocks)
}

async function writerLog(keys: Keys, writerSeed = new Uint8Array(randomBytes(32))): Promise<GroupLog> {
  return GroupLog.open({
    logId: LOG_ID,
    signPub: keys.signPub,
    signSeed: keys.signSeed,
    linkKey: keys.linkKey,
    writerSeed,
    storage: { entries: await MemoryStorage(), heads: await MemoryStorage(), index: await MemoryStorage(), links: await MemoryStorage() }
  })
}

describe('group log replication', () => {
  it('delivers live entries and converges on the same heads', async () => {
    const keys = groupKeys()
    const [a, b] = [await startPeer(), await startPeer()]
    const la = await a.open(keys)
    const lb = await b.open(keys)
    await connect(a, b)
    await a.replicator.appendAndPublish(TOPIC, text('one'))
    await b.replicator.appendAndPublish(TOPIC, text('two'))
    await a.replicator.appendAndPublish(TOPIC, text('three'))
    await Promise.all([a.waitFor(3), b.waitFor(3)])
    const ha = (await la.heads()).map((e) => e.hash).sort()
    const hb = (await lb.heads()).map((e) => e.hash).sort()
    expect(hb).toEqual(ha)
  })

  it('catches a late peer up in bulk, verifying every entry', async () => {
    const keys = groupKeys()
    const [a, b] = [await startPeer(), await startPeer()]
    await a.open(keys)
    for (let i = 0; i < 300; i++) await a.replicator.appendAndPublish(TOPIC, text(`m${i}`))
    await connect(a, b)
    await b.open(keys) // subscribing triggers the heads exchange and the pull
    await b.waitFor(300)
    expect(b.received.map((e) => e.clock.time)).toEqual([...Array(300).keys()].map((i) => i + 1))
  })

  it('relays along a line A–B–C (messages hop)', async () => {
    const keys = groupKeys()
    const [a, b, c] = [await startPeer(), await startPeer(), await startPeer()]
    await a.open(keys)
    await b.open(keys)
    await c.open(keys)
    await connect(a, b)
    await connect(b, c)
    // Wait until the mesh knows the topic peers on both links.
    await b.replicator.syncNow(TOPIC)
    await a.replicator.appendAndPublish(TOPIC, text('from A'))
    await c.waitFor(1)
    await c.replicator.appendAndPublish(TOPIC, text('from C'))
    await a.waitFor(2)
    expect(c.received.map((e) => e.hash)).toContain(a.received[0]!.hash)
  })

  it('rejects and logs an outsider, then a valid entry still lands', async () => {
    const keys = groupKeys()
    const [a, b, outsider] = [await startPeer(), await startPeer(), await startPeer()]
    await a.open(keys)
    await b.open(keys)
    // The outsider knows the link key (e.g. a replica) but signs with a key of its own.
    await outsider.open(keys, { signSeed: new Uint8Array(randomBytes(32)) })
    await connect(a, b)
    await connect(outsider, a)
    await connect(outsider, b)
    await outsider.replicator.appendAndPublish(TOPIC, text('forged'))
    await outsider.replicator.syncNow(TOPIC)
    await a.replicator.appendAndPublish(TOPIC, text('valid'))
    await b.waitFor(1)
    await a.replicator.syncNow(TOPIC)
    await b.replicator.syncNow(TOPIC)
    // The forged entry reaches a or b by gossip or by a heads exchange; on a loaded machine the
    // outsider's subscription may not be known when it publishes, and then the exchange set off
    // when it is known brings it later: awaited as the event it is, not assumed already done.
    await Promise.any([a.waitForWarning(/rejected/), b.waitForWarning(/rejected/)])
    expect(a.received.map((e) => e.payload.s)).toEqual([text('valid')])
    expect(b.received.map((e) => e.payload.s)).toEqual([text('valid')])
    expect([...a.warnings, ...b.warnings].join('\n')).toMatch(/rejected/)
  })

  it('holds back entries descending from a rejected one but lands everything else', async () => {
    const keys = groupKeys()
    const [a, b, rogue] = [await startPeer(), await startPeer(), await startPeer()]
    // The rogue accepts anything locally: it writes a forged entry, then a correctly signed
    // entry that links to it. Honest peers must reject both, and still take A's entries.
    const rogueLog = await rogue.open(keys, { signSeed: new Uint8Array(randomBytes(32)) })
    await rogue.replicator.appendAndPublish(TOPIC, text('forged'))
    Object.assign(rogueLog as unknown as Record<string, unknown>, { signSeed: keys.signSeed, signPub: keys.signPub })
    await rogue.replicator.appendAndPublish(TOPIC, text('linked to forged'))
    await a.open(keys)
    await b.open(keys)
    await connect(a, b)
    await connect(rogue, b)
    await a.replicator.appendAndPublish(TOPIC, text('a1'))
    await b.waitFor(1)
    // B pulls the rogue's chain and must refuse it: the forged entry for its signature, the
    // valid-looking one because it descends from the forged one.
    const heldBack = b.waitForWarning(/held back/)
    await b.replicator.syncNow(TOPIC)
    await heldBack
    await a.replicator.appendAndPublish(TOPIC, text('a2'))
    await b.waitFor(2)
    expect(b.received.map((e) => new TextDecoder().decode(e.payload.s))).toEqual(['a1', 'a2'])
    expect(b.warnings.join('\n')).toMatch(/rejected (gossiped )?entry/)
  })

  it('an entry held back because one peer lacked its ancestry is not refused: another peer brings it', async () => {
    const keys = groupKeys()
    const [a, p, b] = [await startPeer(), await startPeer(), await startPeer()]
    await a.open(keys)
    const pLog = await p.open(keys)
    await p.replicator.appendAndPublish(TOPIC, text('e1'))
    await p.replicator.appendAndPublish(TOPIC, text('e2'))
    // A takes both from P; then P loses e1's block (it serves e2 without its parent).
    await connect(a, p)
    await a.replicator.syncNow(TOPIC)
    await a.waitFor(2)
    await a.libp2p.hangUp(p.libp2p.peerId)
    const e1 = a.received[0]!.hash
    await (pLog as unknown as { oplog: { storage: { del(h: string): Promise<void> } } }).oplog.storage.del(e1)
    await b.open(keys)
    await connect(b, p)
    const heldBack = b.waitForWarning(/held back/)
    await b.replicator.syncNow(TOPIC)
    await heldBack
    expect(b.received).toHaveLength(0)
    // Not a fault of e2's: from A, which holds its ancestry, both land.
    await b.libp2p.hangUp(p.libp2p.peerId)
    await connect(b, a)
    await b.replicator.syncNow(TOPIC)
    await b.waitFor(2)
    expect(b.received.map((e) => new TextDecoder().decode(e.payload.s))).toEqual(['e1', 'e2'])
    expect(b.warnings.join('\n')).not.toMatch(/sync: rejected/)
  })

  it('one heads exchange when two peers meet on a topic: the lower peer id asks, the other waits and leaves it', async () => {
    const keys = groupKeys()
    const [a, b] = [await startPeer(), await startPeer()]
    await a.open(keys)
    await b.open(keys)
    await connect(a, b)
    // Each side saw the other subscribe; after the higher id's wait (PAIR_WAIT_MS) it has seen
    // the exchange the lower id started, and skips its own.
    const total = () => a.replicator.counters.headsOut + b.replicator.counters.headsOut
    await poll('the higher id leaves the exchange to the lower', () => a.replicator.counters.headsSkipped + b.replicator.counters.headsSkipped === 1, 10_000)
    expect(total()).toBe(1)
    expect(a.replicator.counters.headsIn + b.replicator.counters.headsIn).toBe(1)
  })

  it('a burst gossip did not deliver arrives by the settle exchange once the log is quiet (no anti-entropy)', async () => {
    const keys = groupKeys()
    const run = async (settleMs: number): Promise<Peer> => {
      const [a, b] = [await startPeer({ settleMs }), await startPeer({ settleMs })]
      await a.open(keys)
      await b.open(keys)
      await connect(a, b)
      // Both see each other on the topic and their first heads exchange is over.
      await poll('peers met', () => a.replicator.counters.headsIn + b.replicator.counters.headsIn >= 1, 10_000)
      await poll('mesh', () => a.libp2p.services.pubsub.getSubscribers(TOPIC).length > 0 && b.libp2p.services.pubsub.getSubscribers(TOPIC).length > 0, 10_000)
      // B's gossip validator drops the burst, as a relay without a mesh yet would: nothing later
      // links to these entries, so no gap pull would ever ask for them.
      const validators = b.libp2p.services.pubsub.topicValidators as Map<string, unknown>
      const validate = validators.get(TOPIC)
      let dropped = 0
      validators.set(TOPIC, () => {
        dropped++
        return 'ignore'
      })
      await a.replicator.appendManyAndPublish(TOPIC, [text('x1'), text('x2'), text('x3')])
      // The burst is one gossip message: restore B's validator once it has been dropped.
      await poll('burst dropped', () => dropped >= 1, 10_000)
      validators.set(TOPIC, validate)
      expect(b.received).toHaveLength(0)
      return b
    }
    const withSettle = await run(500)
    await withSettle.waitFor(3)
    // The same loss without the settle exchange stays a loss (until an anti-entropy round).
    const without = await run(0)
    await new Promise((r) => setTimeout(r, 3_000))
    expect(without.received, JSON.stringify(without.replicator.counters)).toHaveLength(0)
  })

  it("a fetch's version vector keeps the responder from resending what the asker holds on other branches", async () => {
    const keys = groupKeys()
    // A wide DAG: five writers write three rounds in full view of each other, then W1 alone writes a
    // chain of 40 (the asker's skip-list of haves reaches 32 deep along it, not the rounds below),
    // while W2, cut off, writes one entry on the third round; W3 then merges both. The asker holds
    // everything but W2's and W3's last entries.
    const writers = await Promise.all([0, 1, 2, 3, 4].map(() => writerLog(keys)))
    const [w1, w2, w3] = writers as [GroupLog, GroupLog, GroupLog]
    for (let round = 0; round < 3; round++) {
      for (const [i, w] of writers.entries()) await w.append(text(`r${round}-w${i}`))
      for (const to of writers) for (const from of writers) if (from !== to) await land(from, to)
    }
    for (let i = 0; i < 40; i++) await w1.append(text(`w1-${i}`))
    const cut = await w2.append(text('w2 cut off'))
    await land(w1, w3)
    await land(w2, w3)
    await w3.append(text('w3 merges'))
    const total = 15 + 40 + 2
    const run = async (clock: boolean): Promise<{ asker: Peer; responder: Peer }> => {
      const [a, b] = [await startPeer({ settleMs: 0 }), await startPeer({ settleMs: 0 })]
      const la = await a.open(keys, { write: false, links: true })
      const lb = await b.open(keys, { write: false, links: true })
      // The control: an asker that sends no version vector, as a peer that predates it.
      if (!clock) Object.assign(lb, { writerClock: async () => new Map() })
      await land(w3, la) // A: everything
      await land(w1, lb) // B: all but W2's cut-off entry and W3's merge
      expect(await lb.has(cut.entry.hash)).toBe(false)
      expect(await la.has(cut.entry.hash)).toBe(true)
      await connect(a, b)
      await b.waitFor(2)
      let n = 0
      for await (const _ of lb.traverse()) n++
      expect(n).toBe(total)
      return { asker: b, responder: a }
    }
    const withClock = await run(true)
    expect(withClock.asker.replicator.counters.pulledKnown, JSON.stringify(withClock.asker.replicator.counters)).toBe(0)
    expect(withClock.responder.replicator.counters.prunedByClock).toBeGreaterThan(0)
    // Without it the asker is resent rounds it already holds.
    const without = await run(false)
    expect(without.asker.replicator.counters.pulledKnown, JSON.stringify(without.asker.replicator.counters)).toBeGreaterThan(0)
    expect(without.responder.replicator.counters.prunedByClock).toBe(0)
  })

  it('a writer that forked its own chain is still fetched whole: what the version vector leaves out is asked for by name', async () => {
    const keys = groupKeys()
    // The same device key writes on two branches (say, restored from an old backup): its second
    // branch has times the asker's clock already covers for that writer.
    const seed = new Uint8Array(randomBytes(32))
    const [w1, other, w1Again] = [await writerLog(keys, seed), await writerLog(keys), await writerLog(keys, seed)]
    for (let i = 0; i < 3; i++) await w1.append(text(`w1-${i}`))
    const fork = await w1Again.append(text('forked'))
    for (let i = 0; i < 9; i++) await w1Again.append(text(`forked ${i}`))
    await land(w1Again, other)
    await other.append(text('builds on the fork'))
    const [a, b] = [await startPeer({ settleMs: 0 }), await startPeer({ settleMs: 0 })]
    const la = await a.open(keys, { write: false, links: true })
    const lb = await b.open(keys, { write: false, links: true })
    await land(w1, la)
    await land(other, la)
    await land(w1, lb)
    expect((await lb.writerClock()).get(w1.writerKey!)).toBe(3)
    expect(fork.entry.clock.time).toBe(1)
    await connect(a, b)
    await b.waitFor(11)
    expect(await lb.has(fork.entry.hash)).toBe(true)
    // Once the asker wanted a fork entry by name (its time is ≤ 3 for that writer), the responder
    // walked that writer unpruned: a few rounds, not one per fork entry.
    expect(b.replicator.counters.pulls, JSON.stringify(b.replicator.counters)).toBeLessThanOrEqual(4)
  })
})
