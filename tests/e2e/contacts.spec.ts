// Contacts through the real UI (issue "Contacts"): headless daemons on loopback that meet through a
// third daemon serving rendezvous; nobody types an address. A shows its link, B pastes it, A accepts,
// both chat; decline and block; B restarts with its request still queued and it lands afterwards.
import { expect, test, type Page } from '@playwright/test'
import { removeDir, startDaemon, type RunningDaemon } from './daemon'

const SHOTS = 'test-results/screens'
const daemons: RunningDaemon[] = []
// Three or four daemons each start their own node (tsx, libp2p, SQLite) on a shared 2-core machine.
test.setTimeout(600_000)

test.afterEach(async () => {
  for (const d of daemons.splice(0)) {
    await d.stop()
    removeDir(d.dataDir)
  }
})

async function onboard(page: Page, ui: string, name: string): Promise<void> {
  await page.goto(ui)
  await expect(page.getByTestId('onboarding')).toBeVisible()
  await page.getByTestId('onboarding-name').fill(name)
  await page.getByTestId('onboarding-submit').click()
  await expect(page.getByTestId('app')).toHaveAttribute('data-phase', 'ready')
}

async function rendezvous(): Promise<string> {
  const r = await startDaemon('rendezvous', undefined, ['--serve-rendezvous'])
  daemons.push(r)
  return `${r.ready.addrs.find((x) => x.startsWith('/ip4/127.0.0.1/tcp/') && !x.includes('/ws'))!}/p2p/${r.ready.peerId}`
}

async function myLink(page: Page): Promise<string> {
  await page.getByTestId('contacts-tab').click()
  await expect(page.getByTestId('share-qr')).toBeVisible()
  return page.getByTestId('share-link').inputValue()
}

async function requestContact(page: Page, link: string): Promise<void> {
  await page.getByTestId('contacts-tab').click()
  await page.getByTestId('add-contact-link').fill(link)
  await page.getByTestId('add-contact-submit').click()
  await expect(page.getByTestId('add-contact-done')).toBeVisible()
}

const row = (page: Page, section: string, name: string) => page.getByTestId(section).getByTestId('contact-row').filter({ hasText: name })

async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer-input').fill(text)
  await page.getByTestId('composer-send').click()
  await expect(page.getByTestId('message').filter({ hasText: text })).toHaveCount(1)
}

test('A shows its link, B pastes it, A accepts, both chat; fingerprints match', async ({ browser }) => {
  const rAddr = await rendezvous()
  const a = await startDaemon('alice', undefined, ['--rendezvous', rAddr])
  const b = await startDaemon('bob', undefined, ['--rendezvous', rAddr])
  daemons.push(a, b)
  const alice = await (await browser.newContext()).newPage()
  const bob = await (await browser.newContext()).newPage()
  await onboard(alice, a.ready.ui, 'Alice')
  await onboard(bob, b.ready.ui, 'Bob')

  const link = await myLink(alice)
  expect(link).toMatch(/^https:\/\/berty\.tech\/id#contact\/[1-9A-HJ-NP-Za-km-z]+\/name=Alice$/)
  await alice.screenshot({ path: `${SHOTS}/10-contacts-share.png` })
  await requestContact(bob, link)
  await expect(row(bob, 'outgoing-requests', 'Alice')).toBeVisible()

  const incoming = row(alice, 'incoming-requests', 'Bob')
  await expect(incoming).toBeVisible()
  await expect(alice.getByTestId('contacts-badge')).toHaveText('1')
  const fpAlice = await incoming.getByTestId('contact-fingerprint').textContent()
  expect(fpAlice).toMatch(/^(\d{5} ){5}\d{5}$/)
  await expect(row(bob, 'outgoing-requests', 'Alice').getByTestId('contact-fingerprint')).toHaveText(fpAlice!)
  await expect(row(bob, 'outgoing-requests', 'Alice').getByTestId('contact-status')).toContainText('Delivered')
  await alice.screenshot({ path: `${SHOTS}/11-contacts-incoming.png` })
  await incoming.getByTestId('contact-accept').click()
  await expect(row(alice, 'accepted-contacts', 'Bob')).toBeVisible()
  await expect(row(bob, 'accepted-contacts', 'Alice')).toBeVisible()

  // The conversation is in the list on both sides, named after the contact.
  await alice.getByTestId('chats-tab').click()
  await alice.locator('[data-testid="conversation-item"][data-kind="contact"]').filter({ hasText: 'Bob' }).click()
  await expect(alice.getByTestId('chat-title')).toHaveText('Bob')
  await expect(alice.getByTestId('member-count')).toContainText('2')
  await send(alice, 'Hello Bob')
  await bob.getByTestId('chats-tab').click()
  await bob.locator('[data-testid="conversation-item"][data-kind="contact"]').filter({ hasText: 'Alice' }).click()
  await expect(bob.getByTestId('message-text').filter({ hasText: 'Hello Bob' })).toHaveCount(1)
  await send(bob, 'Hi Alice')
  await expect(alice.getByTestId('message-text').filter({ hasText: 'Hi Alice' })).toHaveCount(1)
  await bob.screenshot({ path: `${SHOTS}/12-contact-chat.png` })

  // The contact's screen: fingerprint to compare, verified mark kept locally across a reload.
  await alice.getByTestId('contact-info-button').click()
  await expect(alice.getByTestId('contact-title')).toHaveText('Bob')
  await expect(alice.getByTestId('contact-screen-fingerprint')).toHaveText(fpAlice!)
  await alice.getByTestId('contact-verified').check()
  await alice.screenshot({ path: `${SHOTS}/13-contact-screen.png` })
  await alice.reload()
  await expect(alice.getByTestId('app')).toHaveAttribute('data-phase', 'ready')
  await alice.getByTestId('contacts-tab').click()
  await row(alice, 'accepted-contacts', 'Bob').getByTestId('contact-name').click()
  await expect(alice.getByTestId('contact-verified')).toBeChecked()
  await alice.getByTestId('contact-open-chat').click()
  await expect(alice.getByTestId('chat-title')).toHaveText('Bob')
})

test('B restarts with its request queued, then A declines it; C is blocked, then unblocked', async ({ browser }) => {
  const rAddr = await rendezvous()
  const a = await startDaemon('alice', undefined, ['--rendezvous', rAddr])
  let b = await startDaemon('bob', undefined, ['--rendezvous', rAddr])
  const c = await startDaemon('carol', undefined, ['--rendezvous', rAddr])
  daemons.push(a, b, c)
  const alice = await (await browser.newContext()).newPage()
  const bob = await (await browser.newContext()).newPage()
  const carol = await (await browser.newContext()).newPage()
  await onboard(alice, a.ready.ui, 'Alice')
  await onboard(bob, b.ready.ui, 'Bob')
  await onboard(carol, c.ready.ui, 'Carol')
  const link = await myLink(alice)

  // Alice is offline: Bob's request is queued.
  expect(await a.stop()).toBe(0)
  await requestContact(bob, link)
  await expect(row(bob, 'outgoing-requests', 'Alice').getByTestId('contact-status')).toContainText('Not delivered yet')

  // Bob restarts mid-request: the request is still queued afterwards.
  expect(await b.stop()).toBe(0)
  const b2 = await startDaemon('bob-again', b.dataDir, ['--rendezvous', rAddr])
  daemons.splice(daemons.indexOf(b), 1, b2)
  b = b2
  await bob.goto('about:blank')
  await bob.goto(b2.ready.ui)
  await bob.getByTestId('contacts-tab').click()
  await expect(row(bob, 'outgoing-requests', 'Alice')).toBeVisible()

  // Alice comes back: the request lands; she declines it, silently.
  const a2 = await startDaemon('alice-again', a.dataDir, ['--rendezvous', rAddr])
  daemons.splice(daemons.indexOf(a), 1, a2)
  await alice.goto('about:blank')
  await alice.goto(a2.ready.ui)
  await alice.getByTestId('contacts-tab').click()
  const fromBob = row(alice, 'incoming-requests', 'Bob')
  await expect(fromBob).toBeVisible({ timeout: 90_000 })
  await fromBob.getByTestId('contact-decline').click()
  await expect(row(alice, 'refused-contacts', 'Bob')).toHaveAttribute('data-state', 'declined')
  await expect(row(bob, 'outgoing-requests', 'Alice').getByTestId('contact-status')).toContainText('Delivered')

  // Carol asks, Alice blocks her: listed as blocked, no conversation.
  await requestContact(carol, link)
  const fromCarol = row(alice, 'incoming-requests', 'Carol')
  await expect(fromCarol).toBeVisible()
  await fromCarol.getByTestId('contact-block').click()
  await expect(row(alice, 'refused-contacts', 'Carol')).toHaveAttribute('data-state', 'blocked')
  await alice.screenshot({ path: `${SHOTS}/14-contacts-refused.png` })
  await alice.getByTestId('chats-tab').click()
  await expect(alice.locator('[data-testid="conversation-item"][data-kind="contact"]')).toHaveCount(0)
  // Pasting my own link is refused with a clear message.
  await alice.getByTestId('contacts-tab').click()
  await alice.getByTestId('add-contact-link').fill(link)
  await alice.getByTestId('add-contact-submit').click()
  await expect(alice.getByTestId('add-contact-error')).toContainText('your own contact link')

  // Alice unblocks Carol: Carol leaves the list; her next request is received again.
  await row(alice, 'refused-contacts', 'Carol').getByTestId('contact-unblock').click()
  await expect(row(alice, 'refused-contacts', 'Carol')).toHaveCount(0)
  await row(carol, 'outgoing-requests', 'Alice').getByTestId('contact-cancel').click()
  await requestContact(carol, link)
  await expect(row(alice, 'incoming-requests', 'Carol')).toBeVisible({ timeout: 90_000 })
})
