import { describe, expect, it } from 'vitest'
import { concatBytes } from '../../../../core/crypto'
import {
  createMultiMemberGroup,
  entryAuthMessage,
  MAX_SEALED_ENTRY_BYTES,
  replicaKeysOf,
  signEntry,
  verifyEntry
} from '../../../../core/protocol/group'
import { expectGroupError, flipByte, newDevice } from './helpers'

describe('entry auth', () => {
  const { secrets } = createMultiMemberGroup()
  const writer = newDevice().pk
  const sealed = crypto.getRandomValues(new Uint8Array(500))
  const logId = '/orbitdb/zdpuExample/metadata'

  it('message layout: domain ‖ u32be(len) ‖ logId ‖ writer ‖ sealed', () => {
    const msg = entryAuthMessage('ab', writer, sealed)
    const expected = concatBytes(new TextEncoder().encode('berty/entry/v1'), new Uint8Array([0, 0, 0, 2, 0x61, 0x62]), writer, sealed)
    expect(msg).toEqual(expected)
  })

  it('a replica verifies with signPub only', () => {
    const sig = signEntry(secrets.signSeed, logId, writer, sealed)
    expect(sig.length).toBe(64)
    const replica = replicaKeysOf(secrets)
    expect(verifyEntry(replica.signPub, logId, writer, sealed, sig)).toBe(true)
  })

  it('changing the log id, writer, payload or signature fails', () => {
    const sig = signEntry(secrets.signSeed, logId, writer, sealed)
    expect(verifyEntry(secrets.signPub, logId + 'x', writer, sealed, sig)).toBe(false)
    expect(verifyEntry(secrets.signPub, '/orbitdb/zdpuExample/messages', writer, sealed, sig)).toBe(false)
    expect(verifyEntry(secrets.signPub, logId, newDevice().pk, sealed, sig)).toBe(false)
    expect(verifyEntry(secrets.signPub, logId, writer, flipByte(sealed, 100), sig)).toBe(false)
    expect(verifyEntry(secrets.signPub, logId, writer, sealed.subarray(1), sig)).toBe(false)
    expect(verifyEntry(secrets.signPub, logId, writer, sealed, flipByte(sig, 0))).toBe(false)
    expect(verifyEntry(createMultiMemberGroup().secrets.signPub, logId, writer, sealed, sig)).toBe(false)
  })

  it('length prefix stops logId/writer boundary shifts', () => {
    const sig = signEntry(secrets.signSeed, 'a', writer, sealed)
    expect(verifyEntry(secrets.signPub, 'a' + String.fromCharCode(writer[0] as number), writer, sealed, sig)).toBe(false)
  })

  it('malformed inputs: verify returns false, sign throws typed errors', () => {
    const sig = signEntry(secrets.signSeed, logId, writer, sealed)
    expect(verifyEntry(secrets.signPub, logId, writer, sealed, sig.subarray(1))).toBe(false)
    expect(verifyEntry(new Uint8Array(31), logId, writer, sealed, sig)).toBe(false)
    expect(verifyEntry(secrets.signPub, logId, new Uint8Array(31), sealed, sig)).toBe(false)
    expect(verifyEntry(secrets.signPub, 7 as unknown as string, writer, sealed, sig)).toBe(false)
    const big = new Uint8Array(MAX_SEALED_ENTRY_BYTES + 1)
    expect(verifyEntry(secrets.signPub, logId, writer, big, sig)).toBe(false)
    expectGroupError(() => signEntry(secrets.signSeed, logId, writer, big), 'ERR_TOO_LARGE')
    expectGroupError(() => signEntry(secrets.signSeed, logId, new Uint8Array(5), sealed), 'ERR_MALFORMED')
    expect(MAX_SEALED_ENTRY_BYTES).toBe(65536)
  })
})
