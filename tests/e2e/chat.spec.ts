// Two people chat through the real UI, each in a browser page served by their own headless
// daemon on loopback: onboarding, create group, invite, join by link, messages both ways in
// order, reload keeps history. Screenshots of each main screen land in test-results/screens.
import { expect, test, type Page } from '@playwright/test'
import { removeDir, startDaemon, type RunningDaemon } from './daemon'
import { onboard } from './ui'

const SHOTS = 'test-results/screens'
const daemons: RunningDaemon[] = []

test.afterAll(async () => {
  for (const d of daemons.splice(0)) {
    expect(await d.stop()).toBe(0)
    removeDir(d.dataDir)
  }
})

async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer-input').fill(text)
  await page.getByTestId('composer-send').click()
  await expect(page.getByTestId('message').filter({ hasText: text })).toHaveCount(1)
}

async function messageTexts(page: Page): Promise<string[]> {
  return page.getByTestId('message-text').allTextContents()
}

test('two people chat through the UI over two daemons that meet by the invitation link alone', async ({ browser }) => {
  // A friend's always-on node serves rendezvous; Alice and Bob only have it in their settings
  // (--rendezvous). Nobody types an address: Bob finds Alice's node by the group's rendezvous point.
  const r = await startDaemon('rendezvous', undefined, ['--serve-rendezvous'])
  daemons.push(r)
  const rAddr = `${r.ready.addrs.find((x) => x.startsWith('/ip4/127.0.0.1/tcp/') && !x.includes('/ws'))!}/p2p/${r.ready.peerId}`
  const a = await startDaemon('alice', undefined, ['--rendezvous', rAddr])
  const b = await startDaemon('bob', undefined, ['--rendezvous', rAddr])
  daemons.push(a, b)
  const alice = await (await browser.newContext()).newPage()
  const bob = await (await browser.newContext()).newPage()
  const consoleErrors: string[] = []
  for (const p of [alice, bob]) p.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()))

  await onboard(alice, a.ready.ui, 'Alice')
  await alice.screenshot({ path: `${SHOTS}/01-empty-conversations.png` })
  await onboard(bob, b.ready.ui, 'Bob')

  // Alice creates a group and copies the invitation.
  await alice.getByTestId('new-group').click()
  await alice.getByTestId('new-group-name').fill('Climbing club')
  await alice.getByTestId('new-group-submit').click()
  await expect(alice.getByTestId('chat-title')).toHaveText('Climbing club')
  await alice.getByTestId('invite-button').click()
  await expect(alice.getByTestId('invite-qr')).toBeVisible()
  const url = await alice.getByTestId('invite-url').inputValue()
  // The Berty web link (bertylinks form), named after the group; the QR code carries the BERTY://PB form.
  expect(url).toMatch(/^https:\/\/berty\.tech\/id#group\/[1-9A-HJ-NP-Za-km-z]+\/name=Climbing\+club$/)
  await alice.screenshot({ path: `${SHOTS}/03-invite.png` })
  await alice.getByTestId('invite-close').click()

  // Bob joins by pasting the link.
  await bob.getByTestId('chats-tab').click()
  await bob.getByTestId('join-group').click()
  await bob.getByTestId('join-url').fill(url)
  await bob.getByTestId('join-submit').click()
  await expect(bob.getByTestId('chat-view')).toBeVisible()
  await expect(bob.getByTestId('chat-title')).toHaveText('Climbing club')
  await expect(bob.getByTestId('member-count')).toContainText('2')
  await expect(alice.getByTestId('member-count')).toContainText('2')

  // Messages both ways, in the same order on both sides.
  await send(alice, 'Hi Bob, welcome!')
  await expect(bob.getByTestId('message').filter({ hasText: 'Hi Bob, welcome!' })).toHaveAttribute('data-mine', 'false')
  // Members share the display name they chose: Bob sees who wrote, not a key fragment.
  await expect(
    bob.getByTestId('message').filter({ hasText: 'Hi Bob, welcome!' }).getByTestId('message-sender')
  ).toHaveText('Alice')
  await send(bob, 'Thanks Alice 👋')
  await expect(alice.getByTestId('message').filter({ hasText: 'Thanks Alice 👋' })).toHaveAttribute('data-mine', 'false')
  await send(alice, 'Saturday at 10?')
  await expect(bob.getByTestId('message-text').filter({ hasText: 'Saturday at 10?' })).toHaveCount(1)
  const expected = ['Hi Bob, welcome!', 'Thanks Alice 👋', 'Saturday at 10?']
  await expect.poll(() => messageTexts(alice)).toEqual(expected)
  await expect.poll(() => messageTexts(bob)).toEqual(expected)
  await expect(alice.getByTestId('message').filter({ hasText: 'Saturday at 10?' })).toHaveAttribute('data-state', 'delivered')
  await alice.screenshot({ path: `${SHOTS}/04-chat-alice.png` })
  await bob.screenshot({ path: `${SHOTS}/05-chat-bob.png` })
  // Bob's node found Alice's by the group alone: the network panel lists it, no address typed.
  await bob.getByTestId('network-tab').click()
  const alicePeer = bob.locator(`[data-testid="peer-item"][data-peer-id="${a.ready.peerId}"]`)
  await expect(alicePeer).toHaveCount(1)
  // Loopback is a private address: the path reads LAN.
  await expect(alicePeer.getByTestId('peer-path')).toHaveText('LAN')
  await bob.screenshot({ path: `${SHOTS}/02-network.png` })
  await bob.getByTestId('chats-tab').click()

  // Reload keeps history (the token moved to sessionStorage).
  await bob.reload()
  await expect(bob.getByTestId('app')).toHaveAttribute('data-phase', 'ready')
  await bob.getByTestId('conversation-item').filter({ hasText: 'Climbing club' }).click()
  await expect.poll(() => messageTexts(bob)).toEqual(expected)

  await bob.getByTestId('settings-tab').click()
  await expect(bob.getByTestId('settings-panel')).toBeVisible()
  await bob.screenshot({ path: `${SHOTS}/06-settings.png` })

  // SIGTERM flushes and exits 0; the same --data resumes account, group and history.
  expect(await b.stop()).toBe(0)
  const b2 = await startDaemon('bob-again', b.dataDir)
  daemons.splice(daemons.indexOf(b), 1, b2)
  expect(b2.ready.peerId).toBe(b.ready.peerId)
  await bob.goto('about:blank')
  await bob.goto(b2.ready.ui)
  await expect(bob.getByTestId('app')).toHaveAttribute('data-phase', 'ready')
  await expect(bob.getByTestId('account-name')).toContainText('Bob')
  await bob.getByTestId('conversation-item').filter({ hasText: 'Climbing club' }).click()
  await expect.poll(() => messageTexts(bob)).toEqual(expected)
  // And it is back in the conversation, again without an address: Alice's next message reaches it.
  await send(alice, 'Welcome back')
  await expect.poll(() => messageTexts(bob)).toEqual([...expected, 'Welcome back'])
  expect(consoleErrors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED/.test(e))).toEqual([])
})

test('a wrong token is refused and the node stays healthy', async ({ page }) => {
  const d = await startDaemon('token')
  daemons.push(d)
  const origin = new URL(d.ready.ui).origin
  await page.goto(`${origin}/#token=${'x'.repeat(43)}`)
  await expect(page.getByTestId('unauthorized')).toBeVisible()
  // A fragment-only change is a same-document navigation: leave the page to load it anew.
  await page.goto('about:blank')
  await page.goto(d.ready.ui)
  await expect(page.getByTestId('onboarding')).toBeVisible()
  await page.screenshot({ path: `${SHOTS}/00-onboarding.png` })
})
