// GroupLog.decode must give exactly what OrbitDB's own Entry.decode gives for the same sealed
// block (same hash, same fields): the sync path decodes with it, OrbitDB's traversal with its own.
import { randomBytes } from 'node:crypto'
import { Entry, MemoryStorage } from '@orbitdb/core'
import { describe, expect, it } from 'vitest'
import { ed25519PublicFromSeed, secretboxOpen } from '../../core/crypto'
import { GroupLog } from '../../core/groups/group-log'

describe('GroupLog.decode', () => {
  it('matches OrbitDB Entry.decode on sealed blocks, and rejects garbage', async () => {
    const signSeed = new Uint8Array(randomBytes(32))
    const linkKey = new Uint8Array(randomBytes(32))
    const log = await GroupLog.open({
      logId: '/berty/1/test/msg',
      signPub: ed25519PublicFromSeed(signSeed),
      signSeed,
      linkKey,
      writerSeed: new Uint8Array(randomBytes(32)),
      storage: { entries: await MemoryStorage(), heads: await MemoryStorage(), index: await MemoryStorage(), links: await MemoryStorage() }
    })
    for (let i = 0; i < 5; i++) {
      const { entry, bytes } = await log.append(new TextEncoder().encode(`payload ${i}`))
      const ours = await log.decode(bytes)
      const theirs = await Entry.decode(bytes, async (b) => secretboxOpen(linkKey, b))
      expect(ours).toEqual(theirs)
      expect(ours.hash).toBe(entry.hash)
      expect(await log.getLinks(entry.hash)).toEqual({ next: entry.next, refs: entry.refs, time: entry.clock.time, writer: entry.key })
    }
    await expect(log.decode(new Uint8Array([1, 2, 3]))).rejects.toThrow()
    await expect(log.decode(new Uint8Array(200_000))).rejects.toThrow(/too large/)
    await log.close()
  })
})
