/**
 * An account whose creation was cut short after its keys were stored, before its account group
 * (killed at that moment: here, a write fault on the account group's row, then a restart). The
 * account group carries the contact link's state and the account's groups across devices: without
 * it the account stayed without contacts for good. At start, an account without its group gets it.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { lab, restart, untilContact } from './contacts-helpers'
import { stopAll } from './helpers'

afterEach(stopAll)

describe('account: a creation cut short before the account group', () => {
  it('after the restart the account has its group, its contact link works, a request arrives', async () => {
    const l = await lab()
    const a = await l.node('a')
    a.node.db.sql.exec(`CREATE TEMP TRIGGER die_at_account_group BEFORE INSERT ON groups WHEN NEW.kind = 'account'
      BEGIN SELECT RAISE(ABORT, 'injected: died before the account group'); END`)
    await expect(a.call('account:create', { displayName: 'Alice' })).rejects.toThrow()
    a.node.db.sql.exec('DROP TRIGGER die_at_account_group')
    await restart(a)
    const account = await a.call('account:get', {})
    expect(account?.displayName).toBe('Alice')

    const share = await a.call('contact:share', {})
    expect(share.requestsEnabled).toBe(true)
    const b = await l.node('b', 'Bob')
    const bPk = (await b.call('account:get', {}))!.accountPk
    await b.call('contact:request', { link: share.link })
    expect(await untilContact(a, bPk, (c) => c?.state === 'incoming')).toMatchObject({ displayName: 'Bob' })
  }, 120_000)
})
