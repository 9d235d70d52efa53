// A database page damaged while Berty was closed (bit rot, a disk fault): the app opens, says
// what happened and what to do in a banner that stays, and shows what still reads. Before, the
// window showed "internal error (see the node log)" toasts, and the daemon's process died on the
// first conversation summary it built for the window.
import { expect, test } from '@playwright/test'
import { damageTable } from '../support/damage'
import { removeDir, startDaemon, type RunningDaemon } from './daemon'
import { onboard } from './ui'

const daemons: RunningDaemon[] = []

test.afterAll(async () => {
  for (const d of daemons.splice(0)) {
    expect(await d.stop()).toBe(0)
    removeDir(d.dataDir)
  }
})

test('a damaged database: the window says so and what to do, and the node stays up', async ({ browser }) => {
  const first = await startDaemon('damaged')
  daemons.push(first)
  const page = await (await browser.newContext()).newPage()
  await onboard(page, first.ready.ui, 'Dana')
  await page.getByTestId('new-group').click()
  await page.getByTestId('new-group-name').fill('Notes')
  await page.getByTestId('new-group-submit').click()
  for (const text of ['first note', 'second note']) {
    await page.getByTestId('composer-input').fill(text)
    await page.getByTestId('composer-send').click()
    await expect(page.getByTestId('message').filter({ hasText: text })).toHaveCount(1)
  }
  await expect(page.getByTestId('data-damaged')).toHaveCount(0)
  expect(await first.stop()).toBe(0)
  daemons.splice(daemons.indexOf(first), 1)

  expect(damageTable(first.dataDir, 'messages')).toBeGreaterThan(0)
  const again = await startDaemon('damaged-again', first.dataDir)
  daemons.push(again)
  await page.goto(again.ready.ui)
  // The account still reads: the app opens, with the banner naming the directory and what to do.
  await expect(page.getByTestId('app')).toHaveAttribute('data-phase', 'ready')
  const banner = page.getByTestId('data-damaged')
  await expect(banner).toBeVisible()
  await expect(banner).toContainText(`The database in ${first.dataDir} is damaged (database disk image is malformed)`)
  await expect(banner).toContainText('restore the directory from a backup')
  // The conversation is still listed; its messages cannot be read, and opening it says so.
  await expect(page.getByTestId('conversation-list')).toContainText('Its messages cannot be read (damaged database)')
  await page.getByTestId('conversation-list').getByText('Notes').click()
  await expect(page.getByTestId('message-load-error')).toContainText('The messages could not be loaded: the database in')
  await page.screenshot({ path: 'test-results/screens/damaged-database.png' })
  // Still there after a reload: the node, alive after the window's calls, answers node:info with it.
  await page.reload()
  await expect(page.getByTestId('data-damaged')).toBeVisible()
  await page.getByTestId('conversation-list').getByText('Notes').click()
  await expect(page.getByTestId('message-load-error')).toBeVisible()
  expect(again.logs.filter((l) => l.includes('"msg":"storage: the database is damaged"'))).toHaveLength(1)
})
