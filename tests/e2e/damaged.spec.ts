// A database page damaged while Berty was closed (bit rot, a disk fault): the app opens, says
// what happened and what to do in a banner that stays, and shows what still reads. Before, the
// window showed "internal error (see the node log)" toasts, and the daemon's process died on the
// first conversation summary it built for the window. Then the Repair button: the node starts again
// in the same daemon, repairs the file, and the window carries on.
import { statSync, truncateSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test, type Browser, type Page } from '@playwright/test'
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

/** A new user `name` writes `notes` in a group 'Notes' through the window; then the daemon is stopped. */
async function notesThenStopped(browser: Browser, label: string, name: string, notes: string[]): Promise<{ first: RunningDaemon; page: Page }> {
  const first = await startDaemon(label)
  daemons.push(first)
  const page = await (await browser.newContext()).newPage()
  await onboard(page, first.ready.ui, name)
  await page.getByTestId('new-group').click()
  await page.getByTestId('new-group-name').fill('Notes')
  await page.getByTestId('new-group-submit').click()
  for (const text of notes) {
    await page.getByTestId('composer-input').fill(text)
    await page.getByTestId('composer-send').click()
    await expect(page.getByTestId('message').filter({ hasText: text })).toHaveCount(1)
  }
  await expect(page.getByTestId('data-damaged')).toHaveCount(0)
  expect(await first.stop()).toBe(0)
  daemons.splice(daemons.indexOf(first), 1)
  return { first, page }
}

test('a damaged database: the window says so and what to do, and the node stays up', async ({ browser }) => {
  const { first, page } = await notesThenStopped(browser, 'damaged', 'Dana', ['first note', 'second note'])

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

  // Repair, from the banner: said what it does first, then the node starts again in the same
  // daemon (same address, same token), repairs the file as it starts, and this window reconnects.
  await page.getByTestId('repair-open').click()
  await expect(page.getByTestId('repair-confirm')).toContainText('keeps the damaged file beside it')
  await page.getByTestId('repair-now').click()
  const outcome = page.getByTestId('repair-outcome')
  await expect(outcome).toBeVisible({ timeout: 60_000 })
  await expect(outcome).toHaveAttribute('data-ok', 'true')
  await expect(outcome).toContainText('The database was repaired at this start')
  await expect(outcome).toContainText(`The damaged file is kept at ${first.dataDir}/berty.sqlite.damaged-`)
  await expect(page.getByTestId('data-damaged')).toHaveCount(0)
  // The notes come back from the log: Dana's own, each readable or said to be hers and no longer
  // openable on this device (their message keys went with the lost rows).
  await page.getByTestId('conversation-list').getByText('Notes').click()
  await expect(page.getByTestId('message').or(page.getByTestId('message-unreadable'))).toHaveCount(2)
  const lost = page.getByTestId('message-unreadable')
  for (const row of await lost.all()) {
    await expect(row).toHaveAttribute('data-mine', 'true')
    await expect(row).toContainText('You sent this, but this device can no longer open it')
  }
  await page.getByTestId('composer-input').fill('after the repair')
  await page.getByTestId('composer-send').click()
  await expect(page.getByTestId('message').filter({ hasText: 'after the repair' })).toHaveAttribute('data-state', /sent|delivered/)
  await page.screenshot({ path: 'test-results/screens/repaired-database.png' })
  await page.getByRole('button', { name: 'Dismiss' }).click()
  await expect(outcome).toHaveCount(0)
  expect(again.logs.filter((l) => l.includes('"msg":"storage: repaired the database"'))).toHaveLength(1)
})

test('a database file that fails at start: the window offers the repair, and Berty starts', async ({ browser }) => {
  const { first, page } = await notesThenStopped(browser, 'cut', 'Erin', ['a note'])

  // A copy of the directory interrupted: SQLite refuses the whole file, and the node cannot start.
  const file = join(first.dataDir, 'berty.sqlite')
  truncateSync(file, Math.floor((statSync(file).size * 0.6) / 4096) * 4096)
  const again = await startDaemon('cut-again', first.dataDir)
  daemons.push(again)
  expect((again.ready as unknown as { event: string }).event).toBe('damaged')
  await page.goto(again.ready.ui)
  await expect(page.getByTestId('app')).toHaveAttribute('data-phase', 'failed')
  await expect(page.getByTestId('start-failed-reason')).toContainText('is damaged or is not a Berty database; it was left as it is')
  await page.screenshot({ path: 'test-results/screens/start-failed-damaged.png' })
  await page.getByTestId('repair-open').click()
  await page.getByTestId('repair-now').click()
  await expect(page.getByTestId('app')).toHaveAttribute('data-phase', 'ready', { timeout: 60_000 })
  await expect(page.getByTestId('repair-outcome')).toContainText('The database was repaired at this start')
  await expect(page.getByTestId('conversation-list')).toContainText('Notes')
  await page.getByTestId('conversation-list').getByText('Notes').click()
  await page.getByTestId('composer-input').fill('after the repair')
  await page.getByTestId('composer-send').click()
  await expect(page.getByTestId('message').filter({ hasText: 'after the repair' })).toHaveAttribute('data-state', /sent|delivered/)
})
