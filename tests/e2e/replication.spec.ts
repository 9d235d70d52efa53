// A member asks a replication server to keep a group through the UI: Group → Replicas → Add
// replication server (address + token issued by the server's owner with --issue-token). A token
// the server refuses shows the server's reason; an accepted one lists the server. Settings shows
// this device as a replica.
import { execFile } from 'node:child_process'
import { join, resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import { removeDir, startDaemon, type RunningDaemon } from './daemon'

const root = resolve(import.meta.dirname, '../..')
const daemons: RunningDaemon[] = []

test.afterAll(async () => {
  for (const d of daemons.splice(0)) {
    expect(await d.stop()).toBe(0)
    removeDir(d.dataDir)
  }
})

function issueToken(dataDir: string, args: string[]): Promise<{ token: string; jti: string }> {
  return new Promise((res, rej) => {
    execFile(process.execPath, ['--import', 'tsx', join(root, 'core/daemon/cli.ts'), '--data', dataDir, '--issue-token', ...args], { cwd: root }, (err, stdout) =>
      err ? rej(err) : res(JSON.parse(stdout.trim()) as { token: string; jti: string })
    )
  })
}

test('add a replication server to a group from its settings', async ({ browser }) => {
  // Three processes start (two daemons, two token commands) before the page: slow on a loaded machine.
  test.setTimeout(360_000)
  const r = await startDaemon('replication-server', undefined, ['--replication-server'])
  daemons.push(r)
  const a = await startDaemon('alice')
  daemons.push(a)
  const server = r.ready.addrs.find((x) => x.startsWith('/ip4/127.0.0.1/tcp/') && !x.includes('/ws'))!
  const expired = await issueToken(r.dataDir, ['--expires', '1s'])
  const good = await issueToken(r.dataDir, ['--quota-groups', '1'])

  const page = await (await browser.newContext()).newPage()
  await page.goto(a.ready.ui)
  await page.getByTestId('onboarding-name').fill('Alice')
  await page.getByTestId('onboarding-submit').click()
  await expect(page.getByTestId('app')).toHaveAttribute('data-phase', 'ready')
  await page.getByTestId('new-group').click()
  await page.getByTestId('new-group-name').fill('Always on')
  await page.getByTestId('new-group-submit').click()
  await expect(page.getByTestId('chat-title')).toHaveText('Always on')

  await page.getByTestId('replicas-button').click()
  await expect(page.getByTestId('replicas-empty')).toBeVisible()
  await page.getByTestId('replica-server').fill('/ip4/127.0.0.1/tcp/1')
  await expect(page.getByTestId('replica-submit')).toBeDisabled()
  await page.getByTestId('replica-server').fill(server)
  await page.getByTestId('replica-token').fill(expired.token)
  await page.getByTestId('replica-submit').click()
  await expect(page.getByTestId('replica-add-error')).toContainText('The server refused the token')
  await expect(page.getByTestId('replica-add-error')).toContainText('expired')

  await page.getByTestId('replica-token').fill(good.token)
  await page.getByTestId('replica-submit').click()
  await expect(page.getByTestId('replica-added')).toBeVisible()
  await expect(page.getByTestId('replica-row')).toHaveCount(1)
  await expect(page.getByTestId('replica-row')).toHaveAttribute('data-peer-id', r.ready.peerId)
  await page.screenshot({ path: 'test-results/screens/08-replicas.png' })
  await page.keyboard.press('Escape')

  await page.getByTestId('settings-tab').click()
  await expect(page.getByTestId('replica-status-summary')).toContainText('Serving 0 groups')
})
