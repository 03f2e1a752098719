import { expect, test } from './fixtures.ts'
import { expectAccessible } from './widget-support.ts'

test('under script-src/style-src self the card shows, is answered, and breaks no rule', async ({ page }) => {
  await page.addInitScript(() => {
    const violations: string[] = ((window as unknown as { violations: string[] }).violations = [])
    document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.effectiveDirective} ${event.blockedURI}`))
  })
  const reply = await page.goto('/examples/strict-csp.html')
  expect(reply!.headers()['content-security-policy']).toBe("script-src 'self'; style-src 'self'")

  const card = page.getByRole('dialog')
  await expect(card).toBeVisible()
  await expect(card.getByRole('button', { name: 'Send' })).toHaveCSS('min-height', '44px')
  // Styled, though no style may be inline: the constructed stylesheets were adopted.
  await expect(card).toHaveCSS('position', 'fixed')
  await expectAccessible(page)

  const posted = page.waitForResponse((response) => response.url().endsWith('/v1/responses'))
  await card.getByRole('radio', { name: '8', exact: true }).click()
  expect((await posted).status()).toBe(201)
  await card.getByRole('button', { name: 'Send' }).click()
  await expect(card.getByRole('status')).toHaveText('Thank you for your feedback!')

  const violations = () => page.evaluate(() => (window as unknown as { violations: string[] }).violations)
  expect(await violations()).toEqual([])
  // The control: the policy is really enforced, so an inline script is refused and reported.
  await page.evaluate(() => document.head.append(Object.assign(document.createElement('script'), { textContent: 'window.inlineRan = true' })))
  await expect.poll(violations).toEqual(['script-src-elem inline'])
  expect(await page.evaluate(() => 'inlineRan' in window)).toBe(false)
})
