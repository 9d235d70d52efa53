// Berty share links through the API (issue 9): group:invite's two forms, group:join with each form a
// Berty client may hand over (web, QR, berty:// deep link), link:inspect, and the refusals.
import { afterEach, describe, expect, it } from 'vitest'
import { base64urlEncode } from '../../core/bytes'
import { marshalBertyLink, unmarshalBertyLink } from '../../core/protocol/links'
import goLinks from '../vectors/links-go.json'
import { connect, gpkOf, startNode, stopAll, texts, until, type TestNode } from './helpers'

afterEach(stopAll)

// Produced by berty/berty (`berty groupinit`, `berty share-id`), copied from go/pkg/bertylinks/links_test.go
// at efb07eb4be3802261901b1e173a8c69aa08e2d5d (tests/vectors/README.md).
const GO_GROUP_WEB = `https://berty.tech/id#group/${goLinks.blobs.validGroupBlob}/name=random-group-34191`
const GO_GROUP_QR = `BERTY://PB/${goLinks.blobs.validGroupInternalBlob}`
const GO_CONTACT_WEB = `https://berty.tech/id#contact/${goLinks.blobs.validContactBlob}/name=Alice`
const GO_CONTACT_QR = `BERTY://PB/${goLinks.blobs.validContactInternalBlob}`

async function chatBothWays(a: TestNode, b: TestNode, groupPk: string, tag: string): Promise<void> {
  const gpk = gpkOf(groupPk)
  await Promise.all([a, b].map((t) => until(t, () => t.node.groups.chainCount(gpk) === 2)))
  await b.call('message:send', { groupPk, text: `${tag} from b` })
  await a.call('message:send', { groupPk, text: `${tag} from a` })
  for (const t of [a, b]) {
    await until(t, async () => {
      const got = await texts(t, groupPk)
      return got.includes(`${tag} from a`) && got.includes(`${tag} from b`)
    })
  }
}

describe('Berty share links through the API', () => {
  it('invite gives the web link and the QR form; a member joins with web, QR and deep link, and chats', async () => {
    const [a, b] = [await startNode('a'), await startNode('b')]
    await a.call('account:create', { displayName: 'Alice' })
    await b.call('account:create', { displayName: 'Bob' })
    await connect(a, b)

    const forms = {
      web: (inv: { url: string; qr: string }) => inv.url,
      qr: (inv: { url: string; qr: string }) => inv.qr,
      deep: (inv: { url: string; qr: string }) => `berty://pb/${inv.qr.slice('BERTY://PB/'.length)}`
    }
    for (const [form, pick] of Object.entries(forms)) {
      const name = `Group ${form}`
      const { groupPk } = await a.call('group:create', { name })
      const inv = await a.call('group:invite', { groupPk })
      expect(inv.url).toMatch(/^https:\/\/berty\.tech\/id#group\/[1-9A-HJ-NP-Za-km-z]+\/name=Group\+/)
      expect(inv.qr).toMatch(/^BERTY:\/\/PB\/[A-Z0-9$*\-.:/]+$/)
      // Both forms carry the same link, as bertylinks' MarshalLink makes them.
      expect(unmarshalBertyLink(inv.url)).toEqual(unmarshalBertyLink(inv.qr))
      expect(await b.call('link:inspect', { url: pick(inv) })).toEqual({ kind: 'group', name, groupPk })

      expect(await b.call('group:join', { url: pick(inv) })).toEqual({ groupPk })
      // The link's name shows at once; the group's own name arrives with its metadata.
      expect((await b.call('group:get', { groupPk })).name).toBe(name)
      await chatBothWays(a, b, groupPk, form)
      // Joining again, with another form, is the same membership.
      expect(await b.call('group:join', { url: inv.qr })).toEqual({ groupPk })
    }
    expect((await b.call('group:list', {})).map((g) => g.name).sort()).toEqual(['Group deep', 'Group qr', 'Group web'])
  })

  it('link:inspect reads Go-produced links; a Go group link joins, a contact link is refused', async () => {
    const t = await startNode('t')
    await t.call('account:create', { displayName: 'Tess' })
    // The group public key the Go link carries, read straight from its protobuf.
    const goGroupPk = base64urlEncode(unmarshalBertyLink(GO_GROUP_WEB).bertyGroup?.group?.publicKey ?? new Uint8Array(0))
    expect(await t.call('link:inspect', { url: GO_GROUP_WEB })).toEqual({ kind: 'group', name: 'random-group-34191', groupPk: goGroupPk })
    expect((await t.call('link:inspect', { url: GO_GROUP_QR })).kind).toBe('group')
    const contact = await t.call('link:inspect', { url: GO_CONTACT_WEB })
    expect(contact).toMatchObject({ kind: 'contact', name: 'Alice' })
    expect(contact.accountPk).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(contact.groupPk).toBeUndefined()
    expect(await t.call('link:inspect', { url: GO_CONTACT_QR })).toMatchObject({ kind: 'contact', name: 'moul (cli)' })

    for (const url of [GO_CONTACT_WEB, GO_CONTACT_QR]) {
      await expect(t.call('group:join', { url })).rejects.toMatchObject({ code: 'INVALID_INVITATION', message: expect.stringMatching(/contact link/) })
    }
    await expect(t.call('link:inspect', { url: 'https://berty.tech/id#group/foobar/name=Alice' })).rejects.toMatchObject({ code: 'INVALID_INVITATION' })
    await expect(t.call('link:inspect', { url: 'https://example.com/' })).rejects.toMatchObject({ code: 'INVALID_INVITATION' })
    expect(t.node.groups.list().filter((g) => g.kind === 'multi')).toHaveLength(0)

    // A group weshnet made (secretSig and linkKeySig by its group key) is one we can join.
    expect(await t.call('group:join', { url: GO_GROUP_WEB })).toEqual({ groupPk: goGroupPk })
    expect((await t.call('group:get', { groupPk: goGroupPk })).name).toBe('random-group-34191')
    expect(await t.call('group:join', { url: GO_GROUP_QR.replace('BERTY://PB/', 'berty://pb/') })).toMatchObject({ groupPk: expect.any(String) })
  })

  it('a tampered link is INVALID_INVITATION and joins nothing', async () => {
    const a = await startNode('a')
    await a.call('account:create', { displayName: 'Alice' })
    const { groupPk } = await a.call('group:create', { name: 'Sealed' })
    const { qr } = await a.call('group:invite', { groupPk })
    const b = await startNode('b')
    await b.call('account:create', { displayName: 'Bob' })
    const link = unmarshalBertyLink(qr)
    const g = link.bertyGroup?.group
    if (!g) throw new Error('bad fixture')
    g.secretSig[0] = (g.secretSig[0] ?? 0) ^ 1
    const forged = marshalBertyLink(link)
    for (const url of [forged.web, forged.internal]) {
      await expect(b.call('group:join', { url })).rejects.toMatchObject({ code: 'INVALID_INVITATION', message: expect.stringMatching(/signature/) })
    }
    expect(b.node.groups.has(gpkOf(groupPk))).toBe(false)
  })
})
