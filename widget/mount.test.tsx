// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Locale, PublicSurvey } from '../sdk/protocol.ts'
import type { WidgetProps } from '../sdk/widget-contract.ts'
import { CLOSE_AFTER_MS } from './flow.ts'
import { messages } from './i18n/index.ts'
import { mount } from './index.tsx'

const survey: PublicSurvey = {
  id: 'nps',
  type: 'nps',
  checkpoints: ['order_completed'],
  question: { en: 'How likely are you to recommend us?', 'zh-CN': '推荐的可能性？', 'zh-TW': '推薦的可能性？' },
  followUp: {
    detractor: { en: 'What went wrong?' },
    passive: { en: 'What is missing?' },
    promoter: { en: 'What did you like?', 'zh-CN': '您喜欢什么？' },
  },
  dimensions: [
    { id: 'product', label: { en: 'Product' } },
    { id: 'delivery', label: { en: 'Delivery' } },
  ],
}

let cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups) cleanup()
  cleanups = []
  document.body.replaceChildren()
  vi.useRealTimers()
})

/** Mounts the widget as the sdk does, recording its callbacks; the card is removed after the test. */
function show(shown: PublicSurvey = survey, locale: Locale = 'en', initialScore?: number) {
  const host = document.createElement('div')
  document.body.append(host)
  const root = host.attachShadow({ mode: 'open' })
  const calls: unknown[][] = []
  const props: WidgetProps = {
    survey: shown,
    locale,
    onAnswer: (score) => calls.push(['answer', score]),
    onComplete: (answer) => calls.push(['complete', answer]),
    onDismiss: () => calls.push(['dismiss']),
    onClose: () => calls.push(['close']),
    ...(initialScore === undefined ? {} : { initialScore }),
  }
  const unmount = mount(root, props)
  cleanups.push(() => {
    unmount()
    host.remove()
  })
  const $ = <E extends Element = HTMLElement>(selector: string) => root.querySelector<E>(selector)
  const radio = (value: number, group = 'score') => $<HTMLInputElement>(`input[name="${group}"][value="${value}"]`)!
  const send = () => $<HTMLButtonElement>('.send')!.click()
  const card = () => $('.card')!
  return { host, root, calls, unmount, $, radio, send, card }
}

describe('the score step', () => {
  it('asks the question with one radio per score, each named by its number', () => {
    const { $, root, card } = show()
    expect(card().getAttribute('role')).toBe('dialog')
    expect(card().getAttribute('aria-label')).toBe('How likely are you to recommend us?')
    const group = $('[role=radiogroup]')!
    expect(root.getElementById(group.getAttribute('aria-labelledby')!)!.textContent).toBe('How likely are you to recommend us?')
    const radios = [...root.querySelectorAll<HTMLInputElement>('input[type=radio]')]
    expect(radios.map((radio) => radio.closest('label')!.textContent)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'])
  })

  it('describes the two ends of the scale on the end radios', () => {
    const { root, radio } = show()
    const describedBy = (input: HTMLInputElement) => root.getElementById(input.getAttribute('aria-describedby')!)!.textContent
    expect(describedBy(radio(0))).toBe('Not at all likely')
    expect(describedBy(radio(10))).toBe('Extremely likely')
    expect(radio(5).hasAttribute('aria-describedby')).toBe(false)
  })

  it.each([
    ['csat', ['1', '2', '3', '4', '5'], 'Very dissatisfied', 'Very satisfied'],
    ['ces', ['1', '2', '3', '4', '5', '6', '7'], 'Very difficult', 'Very easy'],
  ] as const)('asks %s on its own scale with its own end labels', (type, values, low, high) => {
    const { root, $ } = show({ ...survey, type })
    expect([...root.querySelectorAll('label')].map((label) => label.textContent)).toEqual(values)
    expect($('.ends')!.textContent).toBe(low + high)
  })

  it('announces an error, and tells nobody, when Send comes before a score', () => {
    const { $, send, calls } = show()
    send()
    expect($('[role=alert]')!.textContent).toBe('Please choose a score first.')
    expect(calls).toEqual([])
  })

  it('reports the score the moment it is sent, before any follow-up', () => {
    const { radio, send, calls, $ } = show()
    radio(3).click()
    send()
    expect(calls).toEqual([['answer', 3]])
    expect($('[role=alert]')).toBeNull()
  })

  it('renders the survey’s texts as text, never as markup', () => {
    const { $, root } = show({ ...survey, question: { en: '<img src=x onerror=alert(1)>Hi' } })
    expect($('#question')!.textContent).toBe('<img src=x onerror=alert(1)>Hi')
    expect(root.querySelector('img')).toBeNull()
  })
})

describe('the follow-up and ratings', () => {
  it.each([
    [2, 'What went wrong?'],
    [7, 'What is missing?'],
    [10, 'What did you like?'],
  ])('after %i asks “%s” in a labelled text box of at most 2,000 characters, focused', (score, prompt) => {
    const { radio, send, root, $ } = show()
    radio(score).click()
    send()
    const box = $<HTMLTextAreaElement>('textarea')!
    expect(root.querySelector(`label[for="${box.id}"]`)!.textContent).toBe(prompt)
    expect(box.maxLength).toBe(2000)
    expect(box.placeholder).toBe('Optional')
    expect(root.activeElement).toBe(box)
  })

  it('asks CSAT’s low and high follow-ups by band', () => {
    const csat: PublicSurvey = { ...survey, type: 'csat', followUp: { low: { en: 'What went wrong?' }, high: { en: 'Anything better?' } }, dimensions: [] }
    for (const [score, prompt] of [[3, 'What went wrong?'], [4, 'Anything better?']] as const) {
      const { radio, send, $ } = show(csat)
      radio(score).click()
      send()
      expect($('label[for=comment]')!.textContent).toBe(prompt)
      document.body.replaceChildren()
    }
  })

  it('asks each dimension 1–5 in a group named by its label', () => {
    const { radio, send, root } = show()
    radio(9).click()
    send()
    const groups = [...root.querySelectorAll('[role=radiogroup]')]
    expect(groups.map((group) => root.getElementById(group.getAttribute('aria-labelledby')!)!.textContent)).toEqual(['Product', 'Delivery'])
    expect(groups.map((group) => group.querySelectorAll('input').length)).toEqual([5, 5])
  })

  it('skips the text box when the band has no prompt, and still asks the ratings', () => {
    const { radio, send, $ } = show({ ...survey, followUp: { promoter: { en: 'Liked?' } } })
    radio(1).click()
    send()
    expect($('textarea')).toBeNull()
    expect($('[role=radiogroup]')).not.toBeNull()
  })

  it('completes with the trimmed comment and only the ratings given, then thanks in a live region', () => {
    const { radio, send, $, root, calls } = show()
    radio(8).click()
    send()
    $<HTMLTextAreaElement>('textarea')!.value = '  Faster delivery  '
    radio(4, 'product').click()
    send()
    expect(calls).toEqual([['answer', 8], ['complete', { score: 8, comment: 'Faster delivery', dimensions: { product: 4 } }]])
    expect($('[role=status]')!.textContent).toBe('Thank you for your feedback!')
    expect($('form')).toBeNull()
    expect(root.activeElement).toBe($('.close'))
  })

  it('completes with the score alone when the details are left empty', () => {
    const { radio, send, calls } = show()
    radio(0).click()
    send()
    send()
    expect(calls).toEqual([['answer', 0], ['complete', { score: 0 }]])
  })

  it('goes straight to the thanks when there is nothing more to ask', () => {
    const { radio, send, calls, $ } = show({ ...survey, followUp: undefined, dimensions: undefined })
    radio(6).click()
    send()
    expect(calls).toEqual([['answer', 6], ['complete', { score: 6 }]])
    expect($('[role=status]')!.textContent).toBe('Thank you for your feedback!')
  })
})

describe('closing', () => {
  it('× before a score is a dismissal', () => {
    const { $, calls } = show()
    $('.close')!.click()
    expect(calls).toEqual([['dismiss']])
  })

  it('× or Escape after the score only closes', () => {
    const { radio, send, card, calls, $ } = show()
    radio(5).click()
    send()
    $('textarea')!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    expect(calls).toEqual([['answer', 5], ['close']])
    expect(card()).not.toBeNull()
  })

  it('Escape is not passed on to the host page', () => {
    const heard = vi.fn()
    document.addEventListener('keydown', heard)
    const { radio } = show()
    radio(1).dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }))
    document.removeEventListener('keydown', heard)
    expect(heard).not.toHaveBeenCalled()
  })

  it('closes by itself a few seconds after the thanks', () => {
    vi.useFakeTimers()
    const { radio, send, calls } = show({ ...survey, followUp: undefined, dimensions: undefined })
    radio(10).click()
    send()
    vi.advanceTimersByTime(CLOSE_AFTER_MS - 1)
    expect(calls).toEqual([['answer', 10], ['complete', { score: 10 }]])
    vi.advanceTimersByTime(1)
    expect(calls.at(-1)).toEqual(['close'])
  })

  it('forgets the pending close when the host unmounts it first', () => {
    vi.useFakeTimers()
    const { radio, send, calls, unmount } = show({ ...survey, followUp: undefined, dimensions: undefined })
    radio(10).click()
    send()
    unmount()
    vi.advanceTimersByTime(CLOSE_AFTER_MS)
    expect(calls.some(([name]) => name === 'close')).toBe(false)
  })
})

describe('focus', () => {
  let before: HTMLButtonElement
  beforeEach(() => {
    before = document.body.appendChild(document.createElement('button'))
    before.focus()
  })

  it('a corner card leaves focus where it is', () => {
    show()
    expect(document.activeElement).toBe(before)
  })

  it('goes back where it was when the card closes with focus inside', () => {
    const { radio, unmount } = show()
    radio(2).focus()
    unmount()
    expect(document.activeElement).toBe(before)
  })

  it('stays where the visitor put it when the card closes without focus', () => {
    const { unmount } = show()
    const elsewhere = document.body.appendChild(document.createElement('input'))
    elsewhere.focus()
    unmount()
    expect(document.activeElement).toBe(elsewhere)
  })
})

describe('the centred modal', () => {
  const modal: PublicSurvey = { ...survey, placement: 'center' }
  const tab = (target: Element, shiftKey = false) =>
    target.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', shiftKey, bubbles: true, cancelable: true }))

  it('is modal, takes focus on its first radio, and has a backdrop', () => {
    const { card, root, radio, $ } = show(modal)
    expect(card().getAttribute('aria-modal')).toBe('true')
    expect(root.activeElement).toBe(radio(0))
    expect($('.backdrop')).not.toBeNull()
  })

  it('a click outside it is a dismissal', () => {
    const { $, calls } = show(modal)
    $('.backdrop')!.click()
    expect(calls).toEqual([['dismiss']])
  })

  it('Tab on the last control wraps to the chosen radio, Shift+Tab on the group wraps to the last', () => {
    const { $, root, radio } = show(modal)
    radio(7).click()
    $('.close')!.focus()
    expect(tab($('.close')!)).toBe(false)
    expect(root.activeElement).toBe(radio(7))
    expect(tab(radio(7), true)).toBe(false)
    expect(root.activeElement).toBe($('.close'))
    $('.send')!.focus()
    expect(tab($('.send')!)).toBe(true)
  })

  it('corner cards do not trap Tab', () => {
    const { $ } = show()
    $('.close')!.focus()
    expect(tab($('.close')!)).toBe(true)
  })
})

describe('placement and theme', () => {
  it('an inline card is a named region, not a modal', () => {
    const { card } = show({ ...survey, placement: 'inline' })
    expect(card().getAttribute('role')).toBe('region')
    expect(card().hasAttribute('aria-modal')).toBe(false)
    expect(card().classList.contains('inline')).toBe(true)
  })

  it('sets the theme as custom properties on :host through the CSSOM, not a style attribute', () => {
    const { root, host } = show({ ...survey, theme: { brand: '#c00', radius: '4px' } })
    const theme = root.adoptedStyleSheets[1]!.cssRules[0] as CSSStyleRule
    expect(theme.selectorText).toBe(':host')
    expect(theme.style.getPropertyValue('--hk-brand')).toBe('#c00')
    expect(theme.style.getPropertyValue('--hk-radius')).toBe('4px')
    expect(host.hasAttribute('style')).toBe(false)
    expect(root.querySelector('[style]')).toBeNull()
  })
})

describe('languages', () => {
  it.each(['en', 'zh-CN', 'zh-TW'] as const)('%s: every state speaks the language and says so', (locale) => {
    const text = messages[locale]!
    const { card, $, radio, send, root } = show(survey, locale)
    expect(card().getAttribute('lang')).toBe(locale)
    expect(card().getAttribute('aria-label')).toBe(survey.question[locale])
    expect($('.ends')!.textContent).toBe(text.npsLow + text.npsHigh)
    expect($('.close')!.getAttribute('aria-label')).toBe(text.close)
    expect($('.send')!.textContent).toBe(text.send)
    send()
    expect($('[role=alert]')!.textContent).toBe(text.pickScore)
    radio(9).click()
    send()
    expect($<HTMLTextAreaElement>('textarea')!.placeholder).toBe(text.optional)
    expect(root.querySelector('[role=radiogroup] ~ .ends')!.textContent).toBe(text.csatLow + text.csatHigh)
    send()
    expect($('[role=status]')!.textContent).toBe(text.thanks)
  })

  it('a language without a file falls back to English, under the survey’s own texts for it', () => {
    const { $ } = show({ ...survey, question: { en: 'Q', ja: '質問' }, texts: { ja: { send: '送信' } } }, 'ja')
    expect($('#question')!.textContent).toBe('質問')
    expect($('.send')!.textContent).toBe('送信')
    expect($('.close')!.getAttribute('aria-label')).toBe('Close survey')
  })

  it('a survey overrides any text for its language only', () => {
    const overridden = { ...survey, texts: { en: { send: 'Next', thanks: 'Cheers' } } }
    expect(show(overridden).$('.send')!.textContent).toBe('Next')
    expect(show(overridden, 'zh-CN').root.querySelector('.send')!.textContent).toBe(messages['zh-CN']!.send)
  })
})

describe('a score chosen in an email (initialScore)', () => {
  it('opens at the follow-up for that score, without reporting the score again', () => {
    const { root, calls, $, send } = show(survey, 'en', 3)
    expect(root.textContent).toContain('What went wrong?')
    expect($('input[name="score"]')).toBeNull()
    expect(calls).toEqual([])
    $<HTMLTextAreaElement>('textarea')!.value = 'Late parcel'
    send()
    expect(calls).toEqual([['complete', { score: 3, comment: 'Late parcel' }]])
  })

  it('goes straight to the thanks when there is nothing more to ask', () => {
    const { root, calls } = show({ ...survey, followUp: undefined, dimensions: undefined }, 'en', 9)
    expect(root.querySelector('[role="status"]')).not.toBeNull()
    expect(calls).toEqual([['complete', { score: 9 }]])
  })
})
