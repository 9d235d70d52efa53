import { existsSync, readFileSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { ed25519PublicFromSeed, randomBytes, RENDEZVOUS_GRACE_SECONDS } from '../../../core/crypto'
import { publicRendezvousPoint } from '../../../core/protocol/account'
import { AccountStore } from '../../../core/storage/account-store'
import { openDatabase, type SqliteDatabase } from '../../../core/storage/database'
import { Keystore, fileKeyProvider, staticKeyProvider, type EncryptionKeyProvider } from '../../../core/storage/keystore'
import { containsBytes, expectCode, tempDir } from './helpers'
import { createAccountKeys, newRendezvousSeed } from '../../../core/protocol/account'

const tmp = tempDir('account')
afterAll(() => tmp.cleanup())

let clock = 1_700_000_000_000
const now = (): number => clock

function openStore(path: string, provider: EncryptionKeyProvider): { db: SqliteDatabase; store: AccountStore } {
  const db = openDatabase(path)
  return { db, store: new AccountStore(db, new Keystore(db, provider, { now }), { now }) }
}

describe('AccountStore', () => {
  it('creates an account offline and returns only public info', async () => {
    const { db, store } = openStore(':memory:', staticKeyProvider(randomBytes(32)))
    expect(store.exists()).toBe(false)
    expect(store.get()).toBeUndefined()
    const info = await store.create(createAccountKeys(), { displayName: 'Alice' })
    expect(Object.keys(info).sort()).toEqual(
      ['accountPk', 'aliasPk', 'createdAt', 'devicePk', 'displayName', 'rendezvousSeedGeneration'].sort()
    )
    expect(info.displayName).toBe('Alice')
    expect(info.rendezvousSeedGeneration).toBe(0)
    expect(info.createdAt).toBe(clock)
    expect(ed25519PublicFromSeed(await store.getAccountSeed())).toEqual(info.accountPk)
    expect(ed25519PublicFromSeed(await store.getAliasSeed())).toEqual(info.aliasPk)
    expect(ed25519PublicFromSeed(await store.getDeviceSeed())).toEqual(info.devicePk)
    expect(store.get()).toEqual(info)
    db.close()
  })

  it('needs no display name', async () => {
    const { db, store } = openStore(':memory:', staticKeyProvider(randomBytes(32)))
    expect((await store.create(createAccountKeys())).displayName).toBeUndefined()
    db.close()
  })

  it('refuses a second account', async () => {
    const { db, store } = openStore(':memory:', staticKeyProvider(randomBytes(32)))
    await store.create(createAccountKeys())
    await expectCode(() => store.create(createAccountKeys()), 'ERR_ACCOUNT_EXISTS')
    db.close()
  })

  it('refuses a bad display name', async () => {
    const { db, store } = openStore(':memory:', staticKeyProvider(randomBytes(32)))
    await expectCode(() => store.create(createAccountKeys(), { displayName: 'a\u0000b' }), 'ERR_BAD_INPUT')
    await expectCode(() => store.create(createAccountKeys(), { displayName: 'x'.repeat(129) }), 'ERR_TOO_LARGE')
    await expectCode(() => store.create(createAccountKeys(), { displayName: 42 as unknown as string }), 'ERR_BAD_INPUT')
    expect(store.exists()).toBe(false)
    db.close()
  })

  it('open() fails clearly before an account exists', async () => {
    const { db, store } = openStore(':memory:', staticKeyProvider(randomBytes(32)))
    await expectCode(() => store.open(), 'ERR_NO_ACCOUNT')
    await expectCode(() => store.getAccountSeed(), 'ERR_NO_ACCOUNT')
    db.close()
  })

  it('create → close → reopen gives the same account and secrets', async () => {
    const path = tmp.path('reopen.sqlite')
    const key = randomBytes(32)
    const a = openStore(path, staticKeyProvider(key))
    const created = await a.store.create(createAccountKeys(), { displayName: 'Bob' })
    const seeds = [await a.store.getAccountSeed(), await a.store.getAliasSeed(), await a.store.getDeviceSeed()]
    const rdv = await a.store.getRendezvousSeeds()
    a.db.close()

    const b = openStore(path, staticKeyProvider(key))
    expect(await b.store.open()).toEqual(created)
    expect([await b.store.getAccountSeed(), await b.store.getAliasSeed(), await b.store.getDeviceSeed()]).toEqual(seeds)
    expect((await b.store.getRendezvousSeeds()).current).toEqual(rdv.current)
    b.db.close()
  })

  it('fails clearly with the wrong wrapping key', async () => {
    const path = tmp.path('wrong.sqlite')
    const a = openStore(path, staticKeyProvider(randomBytes(32)))
    await a.store.create(createAccountKeys())
    a.db.close()
    const b = openStore(path, staticKeyProvider(randomBytes(32)))
    expect(b.store.get()).toBeDefined() // public info needs no key
    await expectCode(() => b.store.open(), 'ERR_KEYSTORE_LOCKED')
    await expectCode(() => b.store.getDeviceSeed(), 'ERR_KEYSTORE_LOCKED')
    b.db.close()
  })

  it('keeps every secret out of the database file in the clear', async () => {
    const path = tmp.path('clear.sqlite')
    const { db, store } = openStore(path, fileKeyProvider(tmp.path('clear.key')))
    const info = await store.create(createAccountKeys(), { displayName: 'Carol' })
    await store.renewRendezvousSeed(newRendezvousSeed())
    const secrets = [
      await store.getAccountSeed(),
      await store.getAliasSeed(),
      await store.getDeviceSeed(),
      await store.getOrCreatePeerKey()
    ]
    const rdv = await store.getRendezvousSeeds()
    secrets.push(rdv.current, rdv.previous!.seed)
    const files = (): Buffer[] => [path, `${path}-wal`].filter(existsSync).map((p) => readFileSync(p))
    const check = (): void => {
      for (const file of files()) for (const s of secrets) expect(containsBytes(file, s)).toBe(false)
    }
    check()
    db.close() // checkpoints the WAL into the main file
    check()
    // Sanity check of the check: the public key *is* in the file.
    expect(containsBytes(readFileSync(path), info.accountPk)).toBe(true)
  })

  it('renewing the rendezvous seed changes the seed and the rendezvous point', async () => {
    const { db, store } = openStore(':memory:', staticKeyProvider(randomBytes(32)))
    const info = await store.create(createAccountKeys())
    const nowSeconds = Math.floor(clock / 1000)
    const before = await store.getRendezvousSeeds()
    const pointBefore = publicRendezvousPoint(info.accountPk, before.current, nowSeconds)
    const renewed = await store.renewRendezvousSeed(newRendezvousSeed())
    expect(renewed.rendezvousSeedGeneration).toBe(1)
    const after = await store.getRendezvousSeeds()
    expect(after.current).not.toEqual(before.current)
    expect(publicRendezvousPoint(info.accountPk, after.current, nowSeconds)).not.toEqual(pointBefore)
    expect(after.previous?.seed).toEqual(before.current)
    expect(after.previous?.validUntil).toBe(clock + RENDEZVOUS_GRACE_SECONDS * 1000)
    db.close()
  })

  it('keeps the previous seed only for the grace period', async () => {
    const path = tmp.path('grace.sqlite')
    const key = randomBytes(32)
    const a = openStore(path, staticKeyProvider(key))
    const info = await a.store.create(createAccountKeys())
    const first = (await a.store.getRendezvousSeeds()).current
    await a.store.renewRendezvousSeed(newRendezvousSeed())
    const second = (await a.store.getRendezvousSeeds()).current
    const nowSeconds = Math.floor(clock / 1000)
    const points = await a.store.publicRendezvousPoints(nowSeconds)
    expect(points).toContainEqual(publicRendezvousPoint(info.accountPk, first, nowSeconds))
    expect(points).toContainEqual(publicRendezvousPoint(info.accountPk, second, nowSeconds))
    a.db.close()

    clock += RENDEZVOUS_GRACE_SECONDS * 1000 // the instant the grace period ends
    const b = openStore(path, staticKeyProvider(key))
    await b.store.open()
    const seeds = await b.store.getRendezvousSeeds()
    expect(seeds.current).toEqual(second)
    expect(seeds.previous).toBeUndefined()
    // The old seed's keystore entry is gone, not just unreferenced.
    expect(b.db.sql.prepare("SELECT name FROM keystore WHERE name LIKE 'account/rdv-seed/%'").all()).toEqual([
      { name: 'account/rdv-seed/1' }
    ])
    expect(await b.store.publicRendezvousPoints(Math.floor(clock / 1000))).not.toContainEqual(
      publicRendezvousPoint(info.accountPk, first, Math.floor(clock / 1000))
    )
    b.db.close()
  })

  it('renewing twice inside the grace period keeps only the latest previous seed', async () => {
    const { db, store } = openStore(':memory:', staticKeyProvider(randomBytes(32)))
    await store.create(createAccountKeys())
    await store.renewRendezvousSeed(newRendezvousSeed())
    const middle = (await store.getRendezvousSeeds()).current
    await store.renewRendezvousSeed(newRendezvousSeed())
    const seeds = await store.getRendezvousSeeds()
    expect(seeds.previous?.seed).toEqual(middle)
    expect(db.sql.prepare("SELECT count(*) AS n FROM keystore WHERE name LIKE 'account/rdv-seed/%'").get()).toEqual({ n: 2 })
    db.close()
  })

  it('persists the libp2p peer key, even before an account exists', async () => {
    const path = tmp.path('peer.sqlite')
    const key = randomBytes(32)
    const a = openStore(path, staticKeyProvider(key))
    const peerKey = await a.store.getOrCreatePeerKey()
    expect(peerKey).toHaveLength(32)
    expect(await a.store.getOrCreatePeerKey()).toEqual(peerKey)
    a.db.close()
    const b = openStore(path, staticKeyProvider(key))
    expect(await b.store.getOrCreatePeerKey()).toEqual(peerKey)
    b.db.close()
  })

  it('updates the local display name', async () => {
    const { db, store } = openStore(':memory:', staticKeyProvider(randomBytes(32)))
    await store.create(createAccountKeys())
    expect((await store.setDisplayName('Dave')).displayName).toBe('Dave')
    expect((await store.setDisplayName(undefined)).displayName).toBeUndefined()
    db.close()
  })

  it('keeps the display name sealed: never in the file in the clear, back after a reopen; a legacy plaintext name moves into the keystore', async () => {
    const path = tmp.path('name.sqlite')
    const key = randomBytes(32)
    const canary = new TextEncoder().encode('CanaryDisplayName-7f3a')
    const a = openStore(path, staticKeyProvider(key))
    await a.store.create(createAccountKeys(), { displayName: 'CanaryDisplayName-7f3a' })
    a.db.close()
    for (const f of [path, `${path}-wal`]) if (existsSync(f)) expect(containsBytes(readFileSync(f), canary), f).toBe(false)
    const b = openStore(path, staticKeyProvider(key))
    await b.store.open()
    expect(b.store.get()?.displayName).toBe('CanaryDisplayName-7f3a')
    // As an earlier version left it: the name in the account row.
    b.db.sql.prepare("UPDATE account SET display_name = 'Legacy Name' WHERE id = 1").run()
    b.db.close()
    const c = openStore(path, staticKeyProvider(key))
    await c.store.open()
    expect(c.store.get()?.displayName).toBe('Legacy Name')
    expect(c.db.sql.prepare('SELECT display_name FROM account').get()).toEqual({ display_name: null })
    c.db.close()
  })
})
