// Device linking through the real UI (issue 12): two headless daemons, two pages. Alice's first device
// has a group with history; her second device links with the PIN challenge from onboarding, then holds
// the group (and its history), sends in it — the first device shows that message as her own — and a
// group created afterwards on the first device appears on the second with no action.
import { expect, test, type Page } from '@playwright/test'
import { removeDir, startDaemon, type RunningDaemon } from './daemon'

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

test('a second device links with the PIN and becomes the same member in every group', async ({ browser }) => {
  const a = await startDaemon('device-a')
  const b = await startDaemon('device-b')
  daemons.push(a, b)
  const first = await (await browser.newContext()).newPage()
  const second = await (await browser.newContext()).newPage()

  await first.goto(a.ready.ui)
  await first.getByTestId('onboarding-name').fill('Alice')
  await first.getByTestId('onboarding-submit').click()
  await expect(first.getByTestId('app')).toHaveAttribute('data-phase', 'ready')
  await first.getByTestId('new-group').click()
  await first.getByTestId('new-group-name').fill('Notes')
  await first.getByTestId('new-group-submit').click()
  await expect(first.getByTestId('chat-title')).toHaveText('Notes')
  await send(first, 'written before the link')

  // First device: Settings → Linked devices → Link a new device (after the no-revocation warning).
  await first.getByTestId('settings-tab').click()
  await expect(first.getByTestId('linked-devices')).toBeVisible()
  await expect(first.getByTestId('device-link-new')).toBeDisabled()
  await first.getByTestId('device-link-ack').check()
  await first.getByTestId('device-link-new').click()
  await expect(first.getByTestId('device-invite-qr')).toBeVisible()
  const link = await first.getByTestId('device-invite-link').inputValue()
  expect(link).toMatch(/^https:\/\/berty\.tech\/id#device-link\/[1-9A-HJ-NP-Za-km-z]+$/)
  await first.screenshot({ path: `${SHOTS}/linking-01-invite.png` })

  // Second device: onboarding → Link to an existing account → paste → PIN.
  await second.goto(b.ready.ui)
  await second.getByTestId('onboarding-link').click()
  await expect(second.getByTestId('link-no-revoke')).toBeVisible()
  await second.getByTestId('link-url').fill(link)
  await second.getByTestId('link-submit').click()
  await expect(second.getByTestId('link-pin')).toBeVisible()
  const pin = (await first.getByTestId('device-challenge-pin').textContent())!.trim()
  expect(pin).toMatch(/^\d{6,}$/)
  await first.screenshot({ path: `${SHOTS}/linking-02-pin.png` })
  await second.getByTestId('link-pin').fill(pin)
  await second.getByTestId('link-pin-submit').click()
  await expect(second.getByTestId('app')).toHaveAttribute('data-phase', 'ready')
  await expect(second.getByTestId('account-name')).toContainText('Alice')
  await expect(first.getByTestId('device-link-status')).toContainText('linked')
  await expect(first.getByTestId('device')).toHaveCount(2)

  // The group comes by itself, with its history.
  await second.getByTestId('conversation-item').filter({ hasText: 'Notes' }).click()
  await expect(second.getByTestId('message').filter({ hasText: 'written before the link' })).toHaveAttribute('data-mine', 'true')
  await send(second, 'sent from the second device')
  await expect(second.getByTestId('message').filter({ hasText: 'sent from the second device' })).toHaveAttribute('data-mine', 'true')
  await second.screenshot({ path: `${SHOTS}/linking-03-second-device.png` })

  // The first device shows it from the same member: its own.
  await first.getByTestId('chats-tab').click()
  await first.getByTestId('conversation-item').filter({ hasText: 'Notes' }).click()
  await expect(first.getByTestId('message').filter({ hasText: 'sent from the second device' })).toHaveAttribute('data-mine', 'true')

  // A group created afterwards on the first device appears on the second with no action.
  await first.getByTestId('new-group').click()
  await first.getByTestId('new-group-name').fill('Later')
  await first.getByTestId('new-group-submit').click()
  await expect(first.getByTestId('chat-title')).toHaveText('Later')
  await expect(second.getByTestId('conversation-item').filter({ hasText: 'Later' })).toHaveCount(1)
})
