// What the UI tests do the same way in every spec.
import { expect, type Page } from '@playwright/test'

/** Opens the node's UI at `ui` and creates its account named `name`, until the app is ready. */
export async function onboard(page: Page, ui: string, name: string): Promise<void> {
  await page.goto(ui)
  await expect(page.getByTestId('onboarding')).toBeVisible()
  await page.getByTestId('onboarding-name').fill(name)
  await page.getByTestId('onboarding-submit').click()
  await expect(page.getByTestId('app')).toHaveAttribute('data-phase', 'ready')
}
