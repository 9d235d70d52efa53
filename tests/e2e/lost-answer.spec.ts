// The window loses its connection to the node after a call went out and before its answer came
// back: the node did the work, the window does not know. Creating the group again, or the message
// going out again by itself once the connection is back, must not make a second one (clientId).
// The WebSocket between page and daemon is routed through Playwright, which closes it right after
// the chosen call reached the node.
import { expect, test, type Page, type WebSocketRoute } from '@playwright/test'
import { removeDir, startDaemon, type RunningDaemon } from './daemon'
import { onboard } from './ui'

const daemons: RunningDaemon[] = []

test.afterAll(async () => {
  for (const d of daemons.splice(0)) {
    expect(await d.stop()).toBe(0)
    removeDir(d.dataDir)
  }
})

/**
 * Routes the page's API socket; `lose(method)`: the next call to `method` reaches the node, then the
 * connection closes at once: its answer, and the events it caused, never reach the window.
 */
async function routeApi(page: Page): Promise<{ lose(method: string): Promise<void> }> {
  let armed: { method: string; done: () => void } | undefined
  await page.routeWebSocket(
    (url) => url.protocol.startsWith('ws'),
    (ws: WebSocketRoute) => {
      const server = ws.connectToServer()
      ws.onMessage((message) => {
        server.send(message)
        if (armed && typeof message === 'string' && (JSON.parse(message) as { method?: string }).method === armed.method) {
          const { done } = armed
          armed = undefined
          void server.close().catch(() => undefined)
          void ws.close({ code: 1006 }).catch(() => undefined)
          done()
        }
      })
      server.onMessage((message) => ws.send(message))
    }
  )
  return {
    lose: (method) => new Promise<void>((done) => (armed = { method, done }))
  }
}

test('answers lost with the connection: creating again and the resent message make no second one', async ({ browser }) => {
  const d = await startDaemon('lost-answer')
  daemons.push(d)
  const page = await (await browser.newContext()).newPage()
  const api = await routeApi(page)
  await onboard(page, d.ready.ui, 'Lou')

  // The group is made, its answer lost: the dialog says so; Create again finds it.
  await page.getByTestId('new-group').click()
  await page.getByTestId('new-group-name').fill('Trip')
  const lostCreate = api.lose('group:create')
  await page.getByTestId('new-group-submit').click()
  await lostCreate
  await expect(page.getByTestId('new-group-error')).toBeVisible()
  await expect(page.getByTestId('app')).toHaveAttribute('data-phase', 'ready')
  await page.getByTestId('new-group-submit').click()
  await expect(page.getByTestId('chat-title')).toHaveText('Trip')
  await expect(page.getByTestId('conversation-item').filter({ hasText: 'Trip' })).toHaveCount(1)

  // The message is kept, its answer lost: it goes out again by itself once the connection is back,
  // and shows once, sent, with no "Not sent".
  const lostSend = api.lose('message:send')
  await page.getByTestId('composer-input').fill('see you at the station')
  await page.getByTestId('composer-send').click()
  await lostSend
  await expect(page.getByTestId('message').filter({ hasText: 'see you at the station' })).toHaveCount(1)
  await expect(page.getByTestId('message').filter({ hasText: 'see you at the station' })).toHaveAttribute('data-state', /sent|delivered/)
  await page.reload()
  await page.getByTestId('conversation-item').filter({ hasText: 'Trip' }).click()
  await expect(page.getByTestId('message-text')).toHaveText(['see you at the station'])
  await expect(page.getByTestId('conversation-item').filter({ hasText: 'Trip' })).toHaveCount(1)
})
