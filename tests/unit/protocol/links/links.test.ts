/**
 * Share links against berty/berty's own test vectors (tests/vectors/links-go.json, copied from
 * go/pkg/bertylinks/links_test.go): our strings are Go's strings, Go's links open here.
 */
import baseX from 'base-x'
import { describe, expect, it } from 'vitest'
import {
  BertyLinkError,
  MAX_LINK_LENGTH,
  formatBertyLink,
  marshalBertyLink,
  parseBertyLink,
  unmarshalBertyLink,
  type ParsedBertyLink
} from '../../../../core/protocol'
import { BertyLink, GroupType } from '../../../../core/protocol/proto/berty-link'
import vectors from '../../../vectors/links-go.json'
import goVectors from '../../../vectors/wesh-go.json'

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'))
const blobs = vectors.blobs as Record<string, string>
const expand = (s: string): string => s.replace(/\{(\w+)\}/g, (_, k: string) => blobs[k] as string)
const none = new Uint8Array(0)

function protoOf(v: (typeof vectors.marshal)[number]): BertyLink {
  if (v.kind === 'contact') {
    return {
      kind: BertyLink.Kind.ContactInviteV1Kind,
      bertyId: { displayName: v.displayName, publicRendezvousSeed: hex(v.publicRendezvousSeed as string), accountPk: hex(v.accountPk as string) }
    }
  }
  return {
    kind: BertyLink.Kind.GroupV1Kind,
    bertyGroup: {
      displayName: v.displayName,
      group: {
        publicKey: hex(v.publicKey as string),
        secret: hex(v.secret as string),
        secretSig: hex(v.secretSig as string),
        groupType: GroupType.GroupTypeMultiMember,
        signPub: hex(v.signPub as string),
        linkKey: none,
        linkKeySig: none
      }
    }
  }
}

function expectLinkError(fn: () => unknown, code?: string): void {
  let thrown: unknown
  try {
    fn()
  } catch (err) {
    thrown = err
  }
  expect(thrown, 'expected a BertyLinkError').toBeInstanceOf(BertyLinkError)
  if (code !== undefined) expect((thrown as BertyLinkError).code).toBe(code)
}

describe('bertylinks MarshalLink vectors (berty/berty links_test.go)', () => {
  for (const v of vectors.marshal) {
    it(`${v.name}: web and internal URLs are Go's, byte for byte`, () => {
      const { web, internal } = marshalBertyLink(protoOf(v))
      expect(web).toBe(v.web)
      expect(internal).toBe(v.internal)
    })

    it(`${v.name}: both URLs unmarshal to the input`, () => {
      for (const url of [v.web, v.internal]) {
        expect(unmarshalBertyLink(url)).toEqual(protoOf(v))
      }
    })
  }
})

describe('bertylinks UnmarshalLink vectors (berty/berty links_test.go)', () => {
  for (const v of vectors.unmarshal) {
    it(v.name, () => {
      const url = expand(v.input)
      if (v.expect === 'error') {
        expectLinkError(() => unmarshalBertyLink(url))
        expectLinkError(() => parseBertyLink(url))
        return
      }
      const link = parseBertyLink(url)
      expect(link.kind).toBe(v.expect)
      expect(link.name ?? '').toBe(v.displayName)
      if (link.kind === 'contact') {
        expect(link.contact?.accountPk).toHaveLength(32)
        expect(link.contact?.publicRendezvousSeed).toHaveLength(32)
        expect(link.contact?.displayName ?? '').toBe(v.displayName)
      } else {
        expect(link.group?.publicKey).toHaveLength(32)
        expect(link.group?.secretSig).toHaveLength(64)
        expect(link.group?.groupType).toBe(3)
      }
    })
  }

  it('the web and internal forms of the Go contact blob carry the same keys', () => {
    const web = parseBertyLink(`https://berty.tech/id#contact/${blobs.validContactBlob}`)
    const qr = parseBertyLink(`BERTY://PB/${blobs.validContactInternalBlob}`)
    expect(qr.contact?.accountPk).toEqual(web.contact?.accountPk)
    expect(qr.contact?.publicRendezvousSeed).toEqual(web.contact?.publicRendezvousSeed)
  })
})

describe('formatBertyLink / parseBertyLink', () => {
  const key = (n: number, len = 32): Uint8Array => new Uint8Array(len).fill(n)

  it('re-marshals Go links to the exact Go strings', () => {
    // The Go-generated group link: our formatter must give back exactly what `berty groupinit` printed.
    const url = `BERTY://PB/${blobs.validGroupInternalBlob}`
    expect(formatBertyLink(parseBertyLink(url), 'internal')).toBe(url)
    const web = `https://berty.tech/id#group/${blobs.validGroupBlob}/name=random-group-34191`
    expect(formatBertyLink(parseBertyLink(web), 'web')).toBe(web)
  })

  it('round-trips contacts and groups, with and without linkKeySig, in both forms', () => {
    const links: ParsedBertyLink[] = [
      { kind: 'contact', name: 'Ann é/&?', contact: { accountPk: key(1), publicRendezvousSeed: key(2), displayName: 'Ann é/&?' } },
      { kind: 'contact', contact: { accountPk: key(1), publicRendezvousSeed: key(2) } },
      { kind: 'group', name: 'G', group: { publicKey: key(3), secret: key(4), secretSig: key(5, 64), groupType: 3 } },
      {
        kind: 'group',
        group: { publicKey: key(3), secret: key(4), secretSig: key(5, 64), signPub: key(6), linkKeySig: key(7, 64), groupType: 3 }
      }
    ]
    for (const link of links) {
      for (const form of ['web', 'internal'] as const) {
        const url = formatBertyLink(link, form)
        expect(url.startsWith(form === 'web' ? 'https://berty.tech/id#' : 'BERTY://PB/')).toBe(true)
        expect(parseBertyLink(url)).toEqual(link)
        expect(parseBertyLink(form === 'internal' ? url.replace('BERTY://PB/', 'berty://pb/') : url)).toEqual(link)
      }
    }
  })

  it('keeps linkKey in the internal form only, as Go MarshalLink does', () => {
    const link: ParsedBertyLink = {
      kind: 'group',
      group: { publicKey: key(3), secret: key(4), secretSig: key(5, 64), linkKey: key(8), groupType: 3 }
    }
    expect(parseBertyLink(formatBertyLink(link, 'internal')).group?.linkKey).toEqual(key(8))
    expect(parseBertyLink(formatBertyLink(link, 'web')).group?.linkKey).toBeUndefined()
  })

  it('refuses wrong key lengths, non multi-member groups, bad forms', () => {
    expectLinkError(() => formatBertyLink({ kind: 'contact', contact: { accountPk: key(1, 31), publicRendezvousSeed: key(2) } }, 'web'), 'ERR_LINK_FIELD')
    expectLinkError(() => formatBertyLink({ kind: 'group', group: { publicKey: key(3), secret: key(4), secretSig: key(5, 64), groupType: 2 } }, 'web'), 'ERR_LINK_KIND')
    expectLinkError(() => formatBertyLink({ kind: 'contact', contact: { accountPk: key(1), publicRendezvousSeed: key(2) } }, 'qr' as 'web'), 'ERR_LINK_FORMAT')
    // The Go vectors use 16-byte keys: valid for Go's codec, refused by the checked API.
    expectLinkError(() => parseBertyLink(vectors.marshal[0]?.web as string), 'ERR_LINK_FIELD')
  })

  it('says clearly that passphrase-protected links are not supported yet', () => {
    const enc: BertyLink = {
      kind: BertyLink.Kind.EncryptedV1Kind,
      encrypted: {
        kind: BertyLink.Kind.ContactInviteV1Kind,
        nonce: key(9, 16),
        displayName: 'Hello World!',
        checksum: key(1, 1),
        contactPublicRendezvousSeed: key(1),
        contactAccountPk: key(2),
        groupPublicKey: none,
        groupSecret: none,
        groupSecretSig: none,
        groupType: GroupType.GroupTypeUndefined,
        groupSignPub: none,
        groupLinkKeySig: none
      }
    }
    const { web, internal } = marshalBertyLink(enc)
    expect(web.startsWith('https://berty.tech/id#enc/')).toBe(true)
    for (const url of [web, internal]) {
      expect(unmarshalBertyLink(url).kind).toBe(BertyLink.Kind.EncryptedV1Kind)
      expectLinkError(() => parseBertyLink(url), 'ERR_LINK_ENCRYPTED')
    }
  })
})

describe('link decoder fuzzing: a typed error, never a crash', () => {
  // Deterministic xorshift so a failure reproduces.
  let s = 0x9e3779b9
  const rnd = (n: number): number => {
    s ^= s << 13
    s ^= s >>> 17
    s ^= s << 5
    return (s >>> 0) % n
  }
  const qr = baseX('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789$*-.:/')
  const seeds = [
    `https://berty.tech/id#contact/${blobs.validContactBlob}/name=Alice`,
    `BERTY://PB/${blobs.validContactInternalBlob}`,
    `https://berty.tech/id#group/${blobs.validGroupBlob}/name=random-group-34191`,
    `BERTY://PB/${blobs.validGroupInternalBlob}`
  ]

  function survives(url: string): void {
    try {
      const link = parseBertyLink(url)
      expect(['contact', 'group']).toContain(link.kind)
    } catch (err) {
      expect(err).toBeInstanceOf(BertyLinkError)
    }
  }

  it('truncated URLs', () => {
    for (const url of seeds) for (let n = 0; n <= url.length; n++) survives(url.slice(0, n))
  })

  it('character substitutions', () => {
    const chars = '1Aa/#%&=+:.-$*\u0000\u00e9\ud83d'
    for (const url of seeds) {
      for (let i = 0; i < 400; i++) {
        const at = rnd(url.length)
        survives(url.slice(0, at) + chars[rnd(chars.length)] + url.slice(at + 1))
      }
    }
  })

  it('bit-flipped and truncated protobuf payloads in the internal form', () => {
    for (const url of [seeds[1], seeds[3]] as string[]) {
      const bin = qr.decode(url.slice('BERTY://PB/'.length))
      for (let i = 0; i < bin.length * 8; i++) {
        const m = bin.slice()
        m[i >> 3] = (m[i >> 3] as number) ^ (1 << (i & 7))
        survives(`BERTY://PB/${qr.encode(m)}`)
      }
      for (let n = 0; n < bin.length; n++) survives(`BERTY://PB/${qr.encode(bin.subarray(0, n))}`)
    }
  })

  it('oversized input is refused before decoding', () => {
    expectLinkError(() => parseBertyLink(`BERTY://PB/${'A'.repeat(MAX_LINK_LENGTH)}`), 'ERR_LINK_TOO_LARGE')
    expectLinkError(() => parseBertyLink(`https://berty.tech/id#contact/${blobs.validContactBlob}/name=${'x'.repeat(MAX_LINK_LENGTH)}`), 'ERR_LINK_TOO_LARGE')
    expectLinkError(() => parseBertyLink(42 as unknown as string), 'ERR_LINK_EMPTY')
  })
})

describe('links with real 32-byte keys, from bertylinks.MarshalLink run in Go (tests/vectors/wesh-go.json)', () => {
  const opt = (s: string): Uint8Array | undefined => (s === '' ? undefined : hex(s))
  for (const v of goVectors.shareLinks) {
    it(`${v.name}: Go's URLs parse to the inputs, and ours equal Go's`, () => {
      const expected: ParsedBertyLink =
        v.kind === 'contact'
          ? {
              kind: 'contact',
              contact: {
                accountPk: hex(v.accountPk as string),
                publicRendezvousSeed: hex(v.publicRendezvousSeed as string),
                ...(v.displayName !== '' ? { displayName: v.displayName } : {})
              },
              ...(v.displayName !== '' ? { name: v.displayName } : {})
            }
          : {
              kind: 'group',
              group: Object.fromEntries(
                Object.entries({
                  publicKey: hex(v.publicKey as string),
                  secret: hex(v.secret as string),
                  secretSig: hex(v.secretSig as string),
                  signPub: opt(v.signPub as string),
                  linkKey: opt(v.linkKey as string),
                  linkKeySig: opt(v.linkKeySig as string),
                  groupType: 3
                }).filter(([, x]) => x !== undefined)
              ) as unknown as ParsedBertyLink['group'],
              ...(v.displayName !== '' ? { name: v.displayName } : {})
            }
      const internal = parseBertyLink(v.internal)
      expect(internal).toEqual(expected)
      const web = parseBertyLink(v.web)
      // The web form never carries link_key (Go's MarshalLink drops it).
      const { linkKey: _dropped, ...webGroup } = expected.group ?? {}
      expect(web).toEqual(expected.kind === 'group' ? { ...expected, group: webGroup } : expected)
      expect(formatBertyLink(expected, 'internal')).toBe(v.internal)
      expect(formatBertyLink(expected, 'web')).toBe(v.web)
    })
  }
})
