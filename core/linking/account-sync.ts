/**
 * The account's groups, kept in step across its devices (spec "Linking Devices": linked devices
 * "synchronize the Account's contact list, group list, settings"), with weshnet's account events as
 * the wire: every multi-member group this account creates or joins is recorded in the account group
 * as `AccountGroupJoined` (101, the whole `Group` with its secret) and every leave as
 * `AccountGroupLeft` (102). A device that reads a Joined for a group it lacks joins it as a new
 * device of the same member (the member key follows from the account: PROTOCOL.md "Member key");
 * a Left for a group it holds makes it leave. Groups that existed before the first recording
 * (before linking was ever used) are posted by `reconcile`.
 *
 * Claims: only the account's own devices can post these (the metadata reducer accepts account events
 * from the account member only), and a Joined group's secret signature is checked before joining.
 * Disclaims: contact groups follow the contact events (103–112), not these; the order of two devices
 * joining and leaving the same group concurrently is the log's (Lamport) order.
 */
import { fromHex, toHex } from '../bytes'
import { wipe } from '../crypto'
import type { Groups } from '../groups/groups'
import type { WeshEventRecord } from '../groups/types'
import type { Logger } from '../log'
import { AccountGroupJoined, AccountGroupLeft, GroupType } from '../protocol/proto/wesh'

const JOINED = 101
const LEFT = 102

type Recorded = { state: 'joined'; keys: { groupPk: Uint8Array; secret: Uint8Array; secretSig: Uint8Array; linkKeySig?: Uint8Array } } | { state: 'left' }

export class AccountGroupSync {
  private off: (() => void) | undefined
  /** One change at a time: two joins of the same group would both create it. */
  private queue: Promise<void> = Promise.resolve()
  private closed = false

  constructor(
    private readonly groups: Groups,
    private readonly log: Logger
  ) {}

  start(): void {
    this.off = this.groups.on((e) => {
      if (e.type === 'membership') {
        const pk = e.groupPk.slice()
        this.enqueue(() => this.onLocalChange(pk, e.change))
      } else if (e.type === 'wesh-event' && (e.event.eventType === JOINED || e.event.eventType === LEFT)) {
        const account = this.groups.accountGroupPk()
        if (account && toHex(account) === toHex(e.groupPk)) this.enqueue(() => this.follow())
      }
    })
    void this.reconcile()
  }

  stop(): void {
    this.closed = true
    this.off?.()
  }

  /** Resolves when every queued change has run (tests, the linking flow before it hands the account over). */
  idle(): Promise<void> {
    return this.queue
  }

  /** Records local groups the account group lacks, then follows what it records. */
  reconcile(): Promise<void> {
    return this.enqueue(async () => {
      const account = this.groups.accountGroupPk()
      if (!account) return
      const recorded = this.recorded()
      for (const pk of this.groups.keys()) {
        const g = this.groups.get(pk)
        if (g.kind !== 'multi' || g.role !== 'member') continue
        if (recorded.get(toHex(pk))?.state === undefined) await this.postJoined(pk)
      }
      await this.follow()
    })
  }

  private enqueue(fn: () => Promise<void>): Promise<void> {
    const run = this.queue.then(async () => {
      if (this.closed) return
      try {
        await fn()
      } catch (err) {
        this.log('warn', 'linking: account group sync step failed', { error: String(err) })
      }
    })
    this.queue = run
    return run
  }

  /** The last Joined / Left per group, in log order. */
  private recorded(): Map<string, Recorded> {
    const account = this.groups.accountGroupPk()
    const out = new Map<string, Recorded>()
    if (!account) return out
    for (const e of this.groups.weshEvents(account)) {
      const r = decodeRecord(e)
      if (r) out.set(r.groupHex, r.record)
    }
    return out
  }

  private async onLocalChange(groupPk: Uint8Array, change: 'joined' | 'left'): Promise<void> {
    const account = this.groups.accountGroupPk()
    if (!account) return
    const last = this.recorded().get(toHex(groupPk))?.state
    if (change === 'joined' && last !== 'joined' && this.groups.has(groupPk) && this.groups.get(groupPk).kind === 'multi') await this.postJoined(groupPk)
    if (change === 'left' && last === 'joined') {
      const me = this.groups.myDevicePk(account)
      await this.groups.appendWeshEvent(account, LEFT, AccountGroupLeft.encode({ devicePk: me, groupPk }))
    }
  }

  private async postJoined(groupPk: Uint8Array): Promise<void> {
    const account = this.groups.accountGroupPk()
    if (!account) return
    const s = this.groups.memberSecrets(groupPk)
    const payload = AccountGroupJoined.encode({
      devicePk: this.groups.myDevicePk(account),
      group: {
        publicKey: s.groupPk,
        secret: s.secret,
        secretSig: s.secretSig,
        groupType: GroupType.GroupTypeMultiMember,
        signPub: s.signPub,
        linkKey: s.linkKey,
        linkKeySig: s.linkKeySig ?? new Uint8Array(0)
      }
    })
    try {
      await this.groups.appendWeshEvent(account, JOINED, payload)
    } finally {
      wipe(s.secret, s.linkKey, payload)
    }
  }

  /** Joins what the account records as joined and leaves what it records as left. */
  private async follow(): Promise<void> {
    const joins: Array<Promise<void>> = []
    for (const [hex, r] of this.recorded()) {
      if (this.closed) return
      const pk = fromHex(hex)
      const local = this.groups.has(pk) ? this.groups.get(pk) : undefined
      if (r.state === 'joined' && local === undefined) {
        // Distinct groups: joined side by side (each waits on its own sync round trips).
        joins.push(
          this.groups.joinFromAccount(r.keys).then(
            () => undefined,
            (err: unknown) => this.log('warn', 'linking: could not join a group of the account', { group: hex, error: String(err) })
          )
        )
      } else if (r.state === 'left' && local?.role === 'member') {
        await this.groups.leave(pk)
      }
    }
    await Promise.all(joins)
  }
}

function decodeRecord(e: WeshEventRecord): { groupHex: string; record: Recorded } | undefined {
  try {
    if (e.eventType === JOINED) {
      const g = AccountGroupJoined.decode(e.payload).group
      if (!g || g.groupType !== GroupType.GroupTypeMultiMember || g.publicKey.length !== 32) return undefined
      return {
        groupHex: toHex(g.publicKey),
        record: {
          state: 'joined',
          keys: { groupPk: g.publicKey, secret: g.secret, secretSig: g.secretSig, ...(g.linkKeySig.length > 0 ? { linkKeySig: g.linkKeySig } : {}) }
        }
      }
    }
    if (e.eventType === LEFT) {
      const left = AccountGroupLeft.decode(e.payload)
      if (left.groupPk.length !== 32) return undefined
      return { groupHex: toHex(left.groupPk), record: { state: 'left' } }
    }
  } catch {
    return undefined
  }
  return undefined
}
