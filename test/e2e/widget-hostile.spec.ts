import { expect, test } from './fixtures.ts'
import { expectAccessible } from './widget-support.ts'

test('a page with `* { all: unset }` and hidden buttons does not reach the card', async ({ page }) => {
  await page.goto('/examples/hostile-css.html')
  await expect(page.getByRole('button', { name: 'A button nobody sees' })).toBeHidden()

  const card = page.getByRole('dialog')
  await expect(card).toBeVisible()
  await expect(card).toHaveCSS('position', 'fixed')
  await expect(card).toHaveCSS('font-size', '15px')
  await expect(card).toHaveCSS('letter-spacing', 'normal')
  await expect(card).toHaveCSS('text-transform', 'none')
  await expect(card.getByRole('button', { name: 'Send' })).toBeVisible()
  await expect(card.getByRole('button', { name: 'Close survey' })).toBeVisible()
  const box = (await card.boundingBox())!
  const viewport = page.viewportSize()!
  expect(box.x + box.width).toBe(viewport.width - 16)
  expect(box.y + box.height).toBe(viewport.height - 16)
  // The page's huge red text does not reach the card's own text either.
  await expect(card.getByText('Not at all likely')).toHaveCSS('font-size', '13px')
  await expect(card.getByRole('button', { name: 'Send' })).not.toHaveCSS('color', 'rgb(255, 0, 0)')
  await expectAccessible(page)

  await card.getByRole('radio', { name: '6', exact: true }).click()
  await card.getByRole('textbox').fill('Fine')
  await card.getByRole('button', { name: 'Send' }).click()
  await expect(card.getByRole('status')).toHaveText('Thank you for your feedback!')
})
