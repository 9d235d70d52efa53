/**
 * Spike: a signature-checking OrbitDB access controller, and what OrbitDB 4 does with rejected entries.
 * See core/net/NOTES.md "Access control and rejected entries".
 */
import { randomBytes } from 'node:crypto'
import { ed25519 } from '@noble/curves/ed25519.js'
import { Events, type DatabaseArgs, type EventsDatabase, type LogEntry } from '@orbitdb/core'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  registerSpikeAccessController,
  signSpikePayload,
  SpikeAccessController,
  type SpikeAccessControllerInstance
} from '../support/signature-access-controller'
import { connect, nextUpdate, startTestPeer, waitForSubscriber, type TestPeer } from '../support/orbitdb-peer'

const peers: TestPeer[] = []
async function peer(name: string): Promise<TestPeer> {
  const p = await startTestPeer(name)
  peers.push(p)
  return p
}

afterEach(async () => {
  vi.restoreAllMocks()
  await Promise.all(peers.splice(0).map((p) => p.stop()))
})

beforeAll(() => registerSpikeAccessController())

/** An `events` database whose local canAppend accepts anything: a forger, or a buggy member. */
const lenientEvents = async (args: DatabaseArgs) =>
  Events()({ ...args, access: { ...args.access, canAppend: async () => true } })

const enc = (s: string) => new TextEncoder().encode(s)
const forged = () => ({ sealed: enc('forged'), sig: randomBytes(64) })

function ac(db: EventsDatabase): SpikeAccessControllerInstance {
  return db.access as SpikeAccessControllerInstance
}

/** Resolves after `n` more 'reject' events on the controller; collects the rejected entries. */
function rejections(db: EventsDatabase, n: number): Promise<LogEntry[]> {
  const seen: LogEntry[] = []
  return new Promise((resolve) => {
    const on = (entry: LogEntry) => {
      seen.push(entry)
      if (seen.length === n) {
        ac(db).events.off('reject', on)
        resolve(seen)
      }
    }
    ac(db).events.on('reject', on)
  })
}

/** OrbitDB's Database.applyOperation swallows join errors with console.error (src/database.js). */
function captureConsoleErrors() {
  const errors: unknown[] = []
  const waiters: Array<{ n: number; resolve: () => void }> = []
  vi.spyOn(console, 'error').mockImplementation((e: unknown) => {
    errors.push(e)
    for (const w of [...waiters]) {
      if (errors.length < w.n) continue
      waiters.splice(waiters.indexOf(w), 1)
      w.resolve()
    }
  })
  return {
    errors,
    atLeast: (n: number) => new Promise<void>((resolve) => (errors.length >= n ? resolve() : waiters.push({ n, resolve })))
  }
}

describe('net: spike Ed25519 access controller on OrbitDB 4', () => {
  it('members reject an outsider’s forged entry (console.error, no event), then a valid entry lands on all', async () => {
    const seed = randomBytes(32)
    const publicKey = ed25519.getPublicKey(seed)
    const [m1, m2, outsider] = [await peer('m1'), await peer('m2'), await peer('outsider')]
    await connect(m2, m1)
    await connect(outsider, m1)
    await connect(outsider, m2)

    const db1: EventsDatabase = await m1.orbitdb.open('net-ac', { AccessController: SpikeAccessController({ publicKey }) })
    expect(db1.access.address).toBe(`/berty-spike-ed25519/${Buffer.from(publicKey).toString('hex')}`)
    const db2: EventsDatabase = await m2.orbitdb.open(db1.address)
    const dbO: EventsDatabase = await outsider.orbitdb.open(db1.address, { Database: lenientEvents })
    await waitForSubscriber(outsider, db1.address, m1)
    await waitForSubscriber(outsider, db1.address, m2)

    // A member's own append of a forged payload throws synchronously from log.append.
    await expect(db2.add(forged())).rejects.toThrow(/is not allowed to write to the log/)

    const logged = captureConsoleErrors()
    const syncErrors: unknown[] = []
    db1.events.on('error', (e) => syncErrors.push(e))
    const rejected1 = rejections(db1, 1)
    const rejected2 = rejections(db2, 1)
    const forgedHash = await dbO.add(forged())
    expect((await rejected1)[0]!.hash).toBe(forgedHash)
    expect((await rejected2)[0]!.hash).toBe(forgedHash)
    await logged.atLeast(2)
    // What exactly happens: log.joinEntry throws, Database.applyOperation catches and console.error()s it.
    expect(String((logged.errors[0] as Error).message)).toMatch(/^Could not append entry:\nKey ".+" is not allowed to write to the log$/)
    expect(syncErrors).toEqual([])
    expect(await db1.log.has(forgedHash)).toBe(false)
    expect(await dbO.log.has(forgedHash)).toBe(true)

    const at2 = nextUpdate(db2, (e: LogEntry) => (e.payload as { value?: { sealed?: unknown } }).value?.sealed != null)
    const atO = nextUpdate(dbO, (e: LogEntry) => e.hash !== forgedHash)
    const hash = await db1.add(signSpikePayload(seed, enc('hello')))
    expect((await at2).hash).toBe(hash)
    expect((await atO).hash).toBe(hash)
    expect((await db2.all()).map((e) => e.hash)).toEqual([hash])
  })

  it('one rejected entry makes a strict receiver drop every later entry linking to it', async () => {
    const seed = randomBytes(32)
    const publicKey = ed25519.getPublicKey(seed)
    const [w, s] = [await peer('buggy-writer'), await peer('strict')]
    await connect(s, w)
    // The writer holds the group key but its local canAppend accepts anything.
    const dbW: EventsDatabase = await w.orbitdb.open('net-poison', { AccessController: SpikeAccessController({ publicKey }), Database: lenientEvents })
    const dbS: EventsDatabase = await s.orbitdb.open(dbW.address)
    await waitForSubscriber(w, dbW.address, s)
    const logged = captureConsoleErrors()

    const twoRejections = rejections(dbS, 2)
    const x = await dbW.add(forged()) // bad
    const y = await dbW.add(signSpikePayload(seed, enc('valid, but next = [x]'))) // good, links x
    const rejected = await twoRejections
    // Both rejections are of X: once as the head, once while traversing Y's ancestors.
    expect(rejected.map((e) => e.hash)).toEqual([x, x])
    await logged.atLeast(2)
    expect(await dbS.log.has(x)).toBe(false)
    expect(await dbS.log.has(y)).toBe(false)

    // Deterministic form of the same: joinEntry(Y) throws because verifyEntry(X) throws inside traverseAndVerify.
    const yEntry = (await dbW.log.get(y))!
    expect(yEntry.next).toEqual([x])
    await expect(dbS.log.joinEntry(yEntry)).rejects.toThrow(/is not allowed to write to the log/)

    // Every later entry of that writer is lost too (its heads always lead back to X)...
    const third = rejections(dbS, 1)
    const z = await dbW.add(signSpikePayload(seed, enc('also valid')))
    expect((await third)[0]!.hash).toBe(x)
    expect(await dbS.log.has(z)).toBe(false)
    // ...while the strict node's own log keeps working.
    const own = await dbS.add(signSpikePayload(seed, enc('mine')))
    expect((await dbS.all()).map((e) => e.hash)).toEqual([own])
  })

  it('rejection is not sticky: after the receiver learns the signer, re-joining the rejected head lands the chain', async () => {
    const groupSeed = randomBytes(32)
    const deviceSeed = randomBytes(32)
    const [w, s] = [await peer('new-member'), await peer('late-learner')]
    await connect(s, w)
    const dbW: EventsDatabase = await w.orbitdb.open('net-retry', {
      AccessController: SpikeAccessController({ publicKey: ed25519.getPublicKey(groupSeed) })
    })
    ac(dbW).trust(ed25519.getPublicKey(deviceSeed))
    const dbS: EventsDatabase = await s.orbitdb.open(dbW.address)
    await waitForSubscriber(w, dbW.address, s)
    captureConsoleErrors()

    const threeRejections = rejections(dbS, 3)
    const hashes: string[] = []
    for (const m of ['d1', 'd2', 'd3']) hashes.push(await dbW.add(signSpikePayload(deviceSeed, enc(m), true)))
    const rejected = await threeRejections
    expect(rejected.map((e) => e.hash)).toEqual(hashes)

    // OrbitDB keeps no record of the rejection; the head can be joined again once admission changes.
    ac(dbS).trust(ed25519.getPublicKey(deviceSeed))
    expect(await dbS.log.joinEntry(rejected[2]!)).toBe(true)
    expect((await dbS.all()).map((e) => e.hash)).toEqual(hashes)
  })
})
