// GroupLog.hashOf writes the CID's bytes directly: it must equal what multiformats' CID gives
// (OrbitDB's entry hash: CIDv1, dag-cbor, sha2-256, base58btc) for any block.
import { randomBytes } from 'node:crypto'
import * as dagCbor from '@ipld/dag-cbor'
import { base58btc } from 'multiformats/bases/base58'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { GroupLog } from '../../../core/groups/group-log'

describe('GroupLog.hashOf', () => {
  it('is the CIDv1 (dag-cbor, sha2-256) of the block in base58btc', async () => {
    const hashOf = (GroupLog.prototype as unknown as { hashOf(b: Uint8Array): string }).hashOf
    for (const n of [0, 1, 55, 700, 4096, 70_000]) {
      const block = new Uint8Array(randomBytes(n))
      const cid = CID.createV1(dagCbor.code, await sha256.digest(block))
      expect(hashOf(block)).toBe(cid.toString(base58btc))
    }
  })
})
