/** Helpers shared by the widget-*.spec.ts files: axe, baseline screenshots, and a page that mounts the widget directly. */
import AxeBuilder from '@axe-core/playwright'
import type { Locator, Page } from '@playwright/test'
import type { Locale, PublicSurvey } from '../../sdk/protocol.ts'
import { expect } from './fixtures.ts'

/** Runs axe-core on the widget (inside its shadow root) and fails on any violation. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).include('[data-hearken]').analyze()
  expect(results.violations.map(({ id, help, nodes }) => `${id}: ${help} (${nodes.length})`)).toEqual([])
}

/**
 * Compares what `target` looks like with the baseline committed beside the spec
 * (`<spec>-snapshots/<name>-linux.png`; `npx playwright test --update-snapshots` writes a new
 * one, to be reviewed as a diff). Baselines are made with Debian's Chromium and its fonts
 * (fonts-dejavu-core, fonts-noto-cjk; .ci/run installs the same), animations off, no caret;
 * the small tolerance absorbs anti-aliasing, not a moved or missing element.
 */
export async function expectLooks(target: Locator | Page, name: string): Promise<void> {
  await expect(target).toHaveScreenshot(`${name}.png`, { animations: 'disabled', caret: 'hide', scale: 'css', maxDiffPixelRatio: 0.005 })
}

/** What the widget told its host, in order, as recorded by the harness page. */
export type Call = [name: 'answer' | 'complete' | 'dismiss' | 'close', value?: unknown]

/**
 * Opens a page on the worker's origin that mounts `/widget.js` with `survey`, as the sdk
 * does, with the language the worker's config gives for `locale`, and records every callback
 * in `window.calls`. The page has a button that holds focus before the card mounts, and a
 * container for `placement: 'inline'`.
 */
export async function openHarness(page: Page, survey: PublicSurvey, locale: Locale = 'en'): Promise<void> {
  await page.route('**/widget-harness.html', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Widget harness</title></head>
<body><main><h1>Harness</h1><button id="before">Before</button><div id="slot"></div><button id="after">After</button></main>
<script type="module">
  import { mount } from '/widget.js'
  const survey = ${JSON.stringify(survey)}
  const { language } = await (await fetch('/v1/sites/pk_demo/config?lang=${encodeURIComponent(locale)}')).json()
  window.calls = []
  document.getElementById('before').focus()
  const host = document.createElement('div')
  host.setAttribute('data-hearken', survey.id)
  ;(survey.placement === 'inline' ? document.getElementById('slot') : document.body).append(host)
  let unmount
  const record = (name, done) => (value) => {
    window.calls.push(value === undefined ? [name] : [name, value])
    if (done) { unmount(); host.remove() }
  }
  unmount = mount(host.attachShadow({ mode: 'open' }), {
    survey, language,
    onAnswer: record('answer'), onComplete: record('complete'),
    onDismiss: record('dismiss', true), onClose: record('close', true),
  })
</script></body></html>`,
    }),
  )
  await page.goto('/widget-harness.html')
  await expect(page.locator('[data-hearken]')).toHaveCount(1)
}

/** The calls the widget made so far. */
export function calls(page: Page): Promise<Call[]> {
  return page.evaluate(() => (window as unknown as { calls: Call[] }).calls)
}

/** A survey for harness tests; override what a test is about. */
export function testSurvey(overrides: Partial<PublicSurvey> = {}): PublicSurvey {
  return {
    id: 'harness-nps',
    type: 'nps',
    checkpoints: ['harness'],
    question: { en: 'How likely are you to recommend us?', 'zh-CN': '您向朋友推荐我们的可能性有多大？' },
    followUp: { detractor: { en: 'What went wrong?' }, passive: { en: 'What is missing?' }, promoter: { en: 'What did you like?' } },
    dimensions: [{ id: 'speed', label: { en: 'Speed' } }],
    ...overrides,
  }
}

/** The element focused inside the widget's shadow root, described for assertions. */
export const focusedInWidget = (page: Page) =>
  page.evaluate(() => {
    const active = document.activeElement?.shadowRoot?.activeElement as HTMLInputElement | null | undefined
    if (!active) return document.activeElement?.id || document.activeElement?.tagName
    return active.type === 'radio' ? `${active.name}=${active.value}` : active.name || active.className
  })
