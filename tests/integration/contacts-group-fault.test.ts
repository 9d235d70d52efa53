/**
 * A contact group that cannot be opened (its row refused: a disk full, an I/O error) is tried again
 * after a while, not at once: reconcile runs after every attempt, and a lasting failure made it a
 * loop of microtasks at full CPU, the node's timers and API starved for as long as it lasted. Once
 * writes work again the group opens and both people chat.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { OPEN_RETRY_MS } from '../../core/contacts/manager'
import { accountPkOf, lab, untilContact } from './contacts-helpers'
import { poll, stopAll, texts, until } from './helpers'

afterEach(stopAll)

describe('contacts: a contact group that fails to open', () => {
  it('is tried again after a while, not in a loop; then opens, and both chat', async () => {
    const l = await lab()
    const a = await l.node('a', 'Alice')
    const b = await l.node('b', 'Bob')
    const aPk = await accountPkOf(a)
    const bPk = await accountPkOf(b)
    await b.call('contact:request', { link: (await a.call('contact:share', {})).link })
    await untilContact(a, bPk, (c) => c?.state === 'incoming')

    // Alice's contact group rows are refused (the first 50 tries: a loop would burn through them at once).
    let refused = 0
    a.node.db.sql.function('berty_test_refuse', () => ++refused)
    a.node.db.sql.exec(`CREATE TEMP TRIGGER refuse_contact_group BEFORE INSERT ON groups
      WHEN NEW.kind = 'contact' AND berty_test_refuse() <= 50 BEGIN SELECT RAISE(ABORT, 'injected: write refused'); END`)
    await a.call('contact:accept', { accountPk: bPk })
    // A counter in this test, not a node event: polled.
    await poll('the first try', () => refused > 0)
    // A second of the node's own time: a timer fires (the loop starved them), and at most one try was made.
    await new Promise((r) => setTimeout(r, 1000))
    expect(refused).toBe(1)
    expect((await a.call('contact:list', {})).find((c) => c.accountPk === bPk)?.state).toBe('accepted')

    a.node.db.sql.exec('DROP TRIGGER refuse_contact_group')
    const aSide = await untilContact(a, bPk, (c) => c?.groupPk !== undefined, OPEN_RETRY_MS + 30_000)
    await untilContact(b, aPk, (c) => c?.state === 'accepted' && c.groupPk !== undefined)
    const groupPk = aSide!.groupPk!
    await Promise.all([a, b].map((t) => until(t, () => t.node.groups.chainCount(Buffer.from(groupPk, 'base64url')) === 2, 45_000)))
    await b.call('message:send', { groupPk, text: 'hi Alice' })
    await a.call('message:send', { groupPk, text: 'hi Bob' })
    await Promise.all([a, b].map((t) => until(t, async () => (await texts(t, groupPk)).length === 2, 45_000)))
  }, 120_000)
})
