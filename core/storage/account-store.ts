/**
 * Persistence of the local account (spec "Account Creation") and of the node's libp2p peer key.
 *
 * Public keys live in the `account` row; every secret seed is a sealed keystore entry. Creation and
 * rendezvous-seed renewal are single durable transactions, so a crash never leaves an account row
 * without its keys or a renewed seed that was not recorded. Works fully offline.
 *
 * Rendezvous seed renewal (PROTOCOL.md "Rendezvous point"): the previous seed is kept only until
 * `renewedAt + 10 min` so that contact requests already in flight still land; after that it is
 * deleted. Renewing again inside the grace period drops the older seed at once (one previous seed
 * at most): renewing twice is a deliberate "cut everyone off".
 */
import {
  RENDEZVOUS_GRACE_SECONDS,
  activeRendezvousPoints,
  equalBytes,
  ed25519PublicFromSeed,
  randomBytes,
  wipe
} from '../crypto'
import { NAME_PROBLEM_TEXT, nameProblem } from '../names'
import type { Statement } from 'better-sqlite3'
import type { SqliteDatabase } from './database'
import { StorageError } from './errors'
import type { Keystore, KeystoreTx } from './keystore'
import { asUint8Array } from './limits'

/** Keystore entry names. The rendezvous seed is versioned so renewal never overwrites in place. */
const KEY_ACCOUNT = 'account/account-seed'
const KEY_ALIAS = 'account/alias-seed'
const KEY_DEVICE = 'device/device-seed'
const KEY_PEER = 'node/peer-key'
/** The display name is user content: sealed like a secret, never a plaintext column (at-rest rule). */
const KEY_NAME = 'account/display-name'
const utf8Encode = (s: string): Uint8Array => new TextEncoder().encode(s)
const utf8Decode = (b: Uint8Array): string => new TextDecoder().decode(b)
const rdvSeedName = (generation: number): string => `account/rdv-seed/${generation}`


/** What `create` stores: the shape of core/protocol/account.ts `AccountKeys` (storage does not import protocol). */
export interface NewAccountKeys {
  secrets: { accountSeed: Uint8Array; aliasSeed: Uint8Array; deviceSeed: Uint8Array; rendezvousSeed: Uint8Array }
  publics: { accountPk: Uint8Array; aliasPk: Uint8Array; devicePk: Uint8Array }
}

/** Public account information; safe to hand to the UI. */
export interface AccountInfo {
  accountPk: Uint8Array
  aliasPk: Uint8Array
  devicePk: Uint8Array
  /** Increments on every rendezvous seed renewal. */
  rendezvousSeedGeneration: number
  /** Optional (spec: "no personal data is required"); shared only with the members of multi-member groups this account creates or joins (a member profile entry). */
  displayName: string | undefined
  /** Unix milliseconds. */
  createdAt: number
}

export interface RendezvousSeeds {
  current: Uint8Array
  /** The seed before the last renewal, while its grace period lasts. */
  previous?: { seed: Uint8Array; validUntil: number }
}

interface AccountRow {
  account_pk: Uint8Array
  alias_pk: Uint8Array
  device_pk: Uint8Array
  rdv_seed_ref: string
  rdv_seed_generation: number
  rdv_prev_seed_ref: string | null
  rdv_prev_valid_until: number | null
  display_name: string | null
  created_at: number
}

/** The one name rule (core/names.ts); an account may have no display name at all. */
function assertDisplayName(name: unknown): asserts name is string | undefined {
  if (name === undefined) return
  const problem = nameProblem(name, { allowEmpty: true })
  if (problem === undefined) return
  throw new StorageError(problem === 'too-long' ? 'ERR_TOO_LARGE' : 'ERR_BAD_INPUT', `displayName ${NAME_PROBLEM_TEXT[problem]}`)
}

function toInfo(row: AccountRow, displayName: string | undefined): AccountInfo {
  return {
    accountPk: asUint8Array(row.account_pk).slice(),
    aliasPk: asUint8Array(row.alias_pk).slice(),
    devicePk: asUint8Array(row.device_pk).slice(),
    rendezvousSeedGeneration: row.rdv_seed_generation,
    displayName,
    createdAt: row.created_at
  }
}

export class AccountStore {
  readonly #db: SqliteDatabase
  readonly #keystore: Keystore
  readonly #now: () => number
  /** Unsealed at `open`/`create`: `get()` stays synchronous. */
  #displayName: string | undefined
  readonly #stmts: {
    row: Statement<[], AccountRow>
    insert: Statement<[Uint8Array, Uint8Array, Uint8Array, string, string | null, number]>
    setName: Statement<[string | null]>
    renew: Statement<[string, number, string, number]>
    clearPrev: Statement<[]>
  }

  constructor(db: SqliteDatabase, keystore: Keystore, opts: { now?: () => number } = {}) {
    this.#db = db
    this.#keystore = keystore
    this.#now = opts.now ?? Date.now
    const sql = db.sql
    this.#stmts = {
      row: sql.prepare<[], AccountRow>('SELECT * FROM account WHERE id = 1'),
      insert: sql.prepare<[Uint8Array, Uint8Array, Uint8Array, string, string | null, number]>(
        `INSERT INTO account (id, account_pk, alias_pk, device_pk, rdv_seed_ref, rdv_seed_generation,
           rdv_prev_seed_ref, rdv_prev_valid_until, display_name, created_at)
         VALUES (1, ?, ?, ?, ?, 0, NULL, NULL, ?, ?)`
      ),
      setName: sql.prepare<[string | null]>('UPDATE account SET display_name = ? WHERE id = 1'),
      renew: sql.prepare<[string, number, string, number]>(
        `UPDATE account SET rdv_seed_ref = ?, rdv_seed_generation = ?, rdv_prev_seed_ref = ?,
           rdv_prev_valid_until = ? WHERE id = 1`
      ),
      clearPrev: sql.prepare<[]>('UPDATE account SET rdv_prev_seed_ref = NULL, rdv_prev_valid_until = NULL WHERE id = 1')
    }
  }

  #row(): AccountRow | undefined {
    this.#db.assertOpen()
    return this.#stmts.row.get()
  }

  exists(): boolean {
    return this.#row() !== undefined
  }

  /** Public info only, or undefined before creation. */
  get(): AccountInfo | undefined {
    const row = this.#row()
    return row === undefined ? undefined : toInfo(row, this.#displayName)
  }

  /**
   * Spec "Account Creation": stores keys the caller generated locally (core/protocol/account.ts
   * `createAccountKeys`), and wipes their secrets. Fails with `ERR_ACCOUNT_EXISTS` if one exists.
   */
  async create(keys: NewAccountKeys, opts: { displayName?: string } = {}): Promise<AccountInfo> {
    const { secrets, publics } = keys
    try {
      assertDisplayName(opts.displayName)
    } catch (err) {
      wipe(secrets.accountSeed, secrets.aliasSeed, secrets.deviceSeed, secrets.rendezvousSeed)
      throw err
    }
    try {
      return await this.#keystore.transaction((tx) => {
        if (this.#row() !== undefined) {
          throw new StorageError('ERR_ACCOUNT_EXISTS', 'an account already exists in this database')
        }
        tx.put(KEY_ACCOUNT, secrets.accountSeed)
        tx.put(KEY_ALIAS, secrets.aliasSeed)
        tx.put(KEY_DEVICE, secrets.deviceSeed)
        tx.put(rdvSeedName(0), secrets.rendezvousSeed)
        if (opts.displayName !== undefined) tx.put(KEY_NAME, utf8Encode(opts.displayName))
        this.#stmts.insert.run(publics.accountPk, publics.aliasPk, publics.devicePk, rdvSeedName(0), null, this.#now())
        const row = this.#row()
        if (row === undefined) throw new StorageError('ERR_NO_ACCOUNT', 'account row vanished during creation')
        this.#displayName = opts.displayName
        return toInfo(row, this.#displayName)
      })
    } finally {
      wipe(secrets.accountSeed, secrets.aliasSeed, secrets.deviceSeed, secrets.rendezvousSeed)
    }
  }

  /**
   * Loads the account after a restart: unlocks the keystore (so a wrong wrapping key fails here with
   * `ERR_KEYSTORE_LOCKED`), checks the stored seeds still match the public keys, and drops an expired
   * previous rendezvous seed.
   */
  async open(): Promise<AccountInfo> {
    const row = this.#row()
    if (row === undefined) throw new StorageError('ERR_NO_ACCOUNT', 'no account in this database; create one first')
    await this.#keystore.transaction((tx) => {
      const pairs: Array<[string, Uint8Array]> = [
        [KEY_ACCOUNT, asUint8Array(row.account_pk)],
        [KEY_ALIAS, asUint8Array(row.alias_pk)],
        [KEY_DEVICE, asUint8Array(row.device_pk)]
      ]
      for (const [name, pk] of pairs) {
        const seed = this.#required(tx, name)
        try {
          if (!equalBytes(ed25519PublicFromSeed(seed), pk)) {
            throw new StorageError('ERR_KEYSTORE_CORRUPT', `keystore entry "${name}" does not match the account`)
          }
        } finally {
          wipe(seed)
        }
      }
      this.#pruneExpired(tx)
      // A name stored in the clear by an earlier version moves into the keystore.
      if (row.display_name !== null) {
        tx.put(KEY_NAME, utf8Encode(row.display_name))
        this.#stmts.setName.run(null)
      }
      const name = tx.get(KEY_NAME)
      this.#displayName = name === undefined ? undefined : utf8Decode(name)
    })
    return toInfo(this.#requireRow(), this.#displayName)
  }

  async setDisplayName(displayName: string | undefined): Promise<AccountInfo> {
    assertDisplayName(displayName)
    this.#requireRow()
    await this.#keystore.transaction((tx) => {
      if (displayName === undefined) tx.delete(KEY_NAME)
      else tx.put(KEY_NAME, utf8Encode(displayName))
    })
    this.#displayName = displayName
    return toInfo(this.#requireRow(), this.#displayName)
  }

  /**
   * Spec "Account Creation" step 4, repeated: a new public rendezvous seed. The old one stays usable
   * for the grace period, then is deleted.
   */
  async renewRendezvousSeed(seed: Uint8Array): Promise<AccountInfo> {
    if (!(seed instanceof Uint8Array) || seed.length !== 32) throw new StorageError('ERR_BAD_INPUT', 'a rendezvous seed is 32 bytes')
    try {
      return await this.#keystore.transaction((tx) => {
        const row = this.#requireRow()
        const generation = row.rdv_seed_generation + 1
        const name = rdvSeedName(generation)
        tx.put(name, seed)
        this.#stmts.renew.run(name, generation, row.rdv_seed_ref, this.#now() + RENDEZVOUS_GRACE_SECONDS * 1000)
        // Deleted after the row stops referencing it (the foreign key would refuse otherwise).
        if (row.rdv_prev_seed_ref !== null) tx.delete(row.rdv_prev_seed_ref)
        return toInfo(this.#requireRow(), this.#displayName)
      })
    } finally {
      wipe(seed)
    }
  }

  /** Copies of the current (and, during its grace period, previous) rendezvous seeds; caller wipes. */
  async getRendezvousSeeds(): Promise<RendezvousSeeds> {
    return await this.#keystore.transaction((tx) => {
      this.#pruneExpired(tx)
      const row = this.#requireRow()
      const current = this.#required(tx, row.rdv_seed_ref)
      if (row.rdv_prev_seed_ref === null || row.rdv_prev_valid_until === null) return { current }
      return {
        current,
        previous: { seed: this.#required(tx, row.rdv_prev_seed_ref), validUntil: row.rdv_prev_valid_until }
      }
    })
  }

  /**
   * Rendezvous points to register on at `nowSeconds`: the current seed's point (plus the previous
   * period's during the period-rotation grace) and, during a renewal's grace period, the old seed's.
   */
  async publicRendezvousPoints(nowSeconds: number = Math.floor(this.#now() / 1000)): Promise<Uint8Array[]> {
    const info = this.#requireRow()
    const seeds = await this.getRendezvousSeeds()
    try {
      // PROTOCOL.md "Rendezvous point": the topic is the ASCII of base64-std(accountPk), as weshnet.
      const topic = new TextEncoder().encode(Buffer.from(asUint8Array(info.account_pk)).toString('base64'))
      const points = activeRendezvousPoints(topic, seeds.current, nowSeconds)
      if (seeds.previous !== undefined) points.push(...activeRendezvousPoints(topic, seeds.previous.seed, nowSeconds))
      return points
    } finally {
      wipe(seeds.current, seeds.previous?.seed)
    }
  }

  /** Copy of the account key seed; the caller wipes it. */
  async getAccountSeed(): Promise<Uint8Array> {
    return await this.#secret(KEY_ACCOUNT)
  }

  /** Copy of the alias / account-proof key seed; the caller wipes it. */
  async getAliasSeed(): Promise<Uint8Array> {
    return await this.#secret(KEY_ALIAS)
  }

  /** Copy of this device's key seed; the caller wipes it. */
  async getDeviceSeed(): Promise<Uint8Array> {
    return await this.#secret(KEY_DEVICE)
  }

  /**
   * Spec "Linking Devices" step 1: a node without an account makes its device key before it links
   * (sealed like every seed, so its fingerprint stays the same across restarts until the link).
   * `create` then stores the account with this same seed. A copy; the caller wipes it.
   */
  async getOrCreateLinkingDeviceSeed(): Promise<Uint8Array> {
    const fresh = randomBytes(32)
    try {
      return await this.#keystore.transaction((tx) => {
        if (this.#row() !== undefined) throw new StorageError('ERR_ACCOUNT_EXISTS', 'this node already has an account')
        const existing = tx.get(KEY_DEVICE)
        if (existing !== undefined) return existing
        tx.put(KEY_DEVICE, fresh)
        return fresh.slice()
      })
    } finally {
      wipe(fresh)
    }
  }

  /**
   * The node's libp2p identity as a raw 32-byte Ed25519 seed, created on first call and sealed in the
   * keystore so the peer id survives restarts. Independent of the account row: a node may start
   * (e.g. as a replica) before any account exists. The caller wipes the copy.
   */
  async getOrCreatePeerKey(): Promise<Uint8Array> {
    const fresh = randomBytes(32)
    try {
      return await this.#keystore.transaction((tx) => {
        const existing = tx.get(KEY_PEER)
        if (existing !== undefined) return existing
        tx.put(KEY_PEER, fresh)
        return fresh.slice()
      })
    } finally {
      wipe(fresh)
    }
  }

  async #secret(name: string): Promise<Uint8Array> {
    this.#requireRow()
    return await this.#keystore.transaction((tx) => this.#required(tx, name))
  }

  #required(tx: KeystoreTx, name: string): Uint8Array {
    const value = tx.get(name)
    if (value === undefined) throw new StorageError('ERR_KEYSTORE_CORRUPT', `keystore entry "${name}" is missing`)
    return value
  }

  #requireRow(): AccountRow {
    const row = this.#row()
    if (row === undefined) throw new StorageError('ERR_NO_ACCOUNT', 'no account in this database; create one first')
    return row
  }

  #pruneExpired(tx: KeystoreTx): void {
    const row = this.#requireRow()
    if (row.rdv_prev_seed_ref === null || row.rdv_prev_valid_until === null) return
    if (this.#now() < row.rdv_prev_valid_until) return
    this.#stmts.clearPrev.run()
    tx.delete(row.rdv_prev_seed_ref)
  }
}
