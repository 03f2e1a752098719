import { expect, test } from './fixtures.ts'
import { expectAccessible, expectLooks } from './widget-support.ts'

test('in dark mode the card is dark and still readable', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.goto('/examples/ticket-closed.html')
  const card = page.getByRole('dialog')
  await expect(card).toHaveCSS('background-color', 'rgb(32, 35, 40)')
  await expect(card).toHaveCSS('color', 'rgb(232, 234, 237)')
  await expectAccessible(page)
  await expectLooks(card, 'dark-score')

  await card.getByRole('radio', { name: '2', exact: true }).click()
  await expect(card.getByRole('textbox', { name: 'What went wrong?' })).toBeVisible()
  await expect(card.getByRole('textbox')).toHaveCSS('color', 'rgb(232, 234, 237)')
  await expectAccessible(page)
  await card.getByRole('button', { name: 'Send' }).click()
  await expect(card.getByRole('status')).toHaveText('Thank you for your feedback!')
  await expectAccessible(page)
})

test('in light mode the card is light', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' })
  await page.goto('/examples/order-complete.html')
  const card = page.getByRole('dialog')
  await expect(card).toHaveCSS('background-color', 'rgb(255, 255, 255)')
  await expect(card).toHaveCSS('color', 'rgb(27, 31, 36)')
  await expectAccessible(page)
})
