// An own send is recorded by its messages row alone (no log_processed row: one row per send, not
// two; core/storage/message-store.ts processedStatus). It must still count as processed: after a
// restart the recovery walk stops at it instead of opening it again, and a member who receives
// it records it as usual.
import { afterEach, describe, expect, it } from 'vitest'
import { MessageStore } from '../../core/storage/message-store'
import { connect, gpkOf, startNode, stopAll, texts, until, type TestNode } from './helpers'

afterEach(stopAll)

function processedRows(t: TestNode, gpk: Uint8Array): Array<{ status: string }> {
  return t.node.db.sql.prepare<[Uint8Array], { status: string }>("SELECT status FROM log_processed WHERE group_pk = ? AND log = 'msg'").all(gpk)
}

function ownRows(t: TestNode, gpk: Uint8Array): Array<{ id: string; state: string; unreadable: string | null }> {
  return t.node.db.sql
    .prepare<[Uint8Array], { id: string; state: string; unreadable: string | null }>('SELECT id, state, unreadable FROM messages WHERE group_pk = ? AND mine = 1')
    .all(gpk)
}

describe('own sends', () => {
  it('are processed through their messages row, before and after a restart, and received as usual', async () => {
    const a = await startNode('a')
    await a.call('account:create', { displayName: 'A' })
    const { groupPk } = await a.call('group:create', { name: 'Own' })
    const gpk = gpkOf(groupPk)
    const sent = Array.from({ length: 40 }, (_, i) => `own ${i}`)
    const ids: string[] = []
    for (const text of sent) ids.push(await a.node.groups.send(gpk, text))

    expect(processedRows(a, gpk)).toEqual([])
    expect(ownRows(a, gpk).map((r) => r.id).sort()).toEqual([...ids].sort())
    // Offline (no gossip peer): nothing was published (sync/live.ts); B, joining later, still gets it all.
    expect(a.node.sync.counters.gossipOut).toBe(0)
    const store = new MessageStore(a.node.db)
    for (const id of ids) expect(store.processedStatus(gpk, id)).toBe('ok')

    // Recovery after a restart walks back from the heads until processed entries: it must stop at
    // once (an own entry opened again would be recorded, e.g. as undecryptable: its key is gone).
    await a.restart()
    expect(await texts(a, groupPk)).toEqual(sent)
    expect(processedRows(a, gpk)).toEqual([])
    expect(ownRows(a, gpk).every((r) => r.state === 'sent' && r.unreadable === null)).toBe(true)
    expect(a.warnings.filter((w) => w.includes('groups:'))).toEqual([])

    // Sends after the restart resume (past the write-ahead reservation) and are recorded alike.
    ids.push(await a.node.groups.send(gpk, 'after restart'))
    expect(processedRows(a, gpk)).toEqual([])

    // A member receives them through the remote path: each readable message is recorded by its
    // messages row, plus an 'ok' log_processed row if it waited for A's chain key.
    const b = await startNode('b')
    await b.call('account:create', { displayName: 'B' })
    const { url } = await a.call('group:invite', { groupPk })
    await connect(a, b)
    await b.call('group:join', { url })
    await until(b, () => b.node.groups.chainCount(gpk) >= 2)
    // Opened once A's chain key is in (messages that arrived before it wait, then are retried).
    const bStore = new MessageStore(b.node.db)
    await until(b, () => ids.every((id) => bStore.processedStatus(gpk, id) === 'ok'), 60_000)
    // Written before B's join (hand-over window): readable, nothing left pending or unreadable.
    expect(processedRows(b, gpk).every((r) => r.status === 'ok')).toBe(true)
    expect(await texts(b, groupPk)).toEqual([...sent, 'after restart'])
  })
})
