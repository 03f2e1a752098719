// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Locale, PublicSurvey } from '../sdk/protocol.ts'
import type { WidgetProps } from '../sdk/widget-contract.ts'
// The worker's own tables: the widget ships no language, it shows what the config brings.
import { language } from '../worker/src/languages.ts'
import { CLOSE_AFTER_MS } from './flow.ts'
import { mount } from './index.tsx'

const survey: PublicSurvey = {
  id: 'nps',
  type: 'nps',
  checkpoints: ['order_completed'],
  question: { en: 'How likely are you to recommend us?', 'zh-CN': '推荐的可能性？', ar: 'ما مدى احتمال أن توصي بنا؟' },
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
const english = language('en').texts

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
    language: language(locale),
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
  /** A mouse click or a tap: a click event with `detail` 1. */
  const tap = (element: HTMLElement) => {
    if (element instanceof HTMLInputElement) element.checked = true
    element.dispatchEvent(new MouseEvent('click', { detail: 1, bubbles: true, cancelable: true }))
  }
  /** What the browser does for an arrow key or Space in a radio group: checks it, with a click of `detail` 0. */
  const select = (element: HTMLInputElement) => {
    element.checked = true
    element.dispatchEvent(new MouseEvent('click', { detail: 0, bubbles: true, cancelable: true }))
  }
  const send = () => $<HTMLButtonElement>('.send')!.click()
  const card = () => $('.card')!
  return { host, root, calls, unmount, $, radio, tap, select, send, card }
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
    expect(radios.some((radio) => radio.checked)).toBe(false)
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

  it('records a clicked or tapped score at once and moves on', () => {
    const { radio, tap, calls, $ } = show()
    tap(radio(3))
    expect(calls).toEqual([['answer', 3]])
    expect($('input[name="score"]')).toBeNull()
    expect($('.chosen')!.textContent).toContain('3')
  })

  it('lets arrow keys and Space only move the selection; Enter or Send sends it', () => {
    const { radio, select, send, calls, $ } = show()
    select(radio(6))
    select(radio(7))
    expect(calls).toEqual([])
    expect($('input[name="score"]')).not.toBeNull()
    send()
    expect(calls).toEqual([['answer', 7]])
  })

  it('announces an error, and tells nobody, when Send comes before a score', () => {
    const { $, send, calls } = show()
    send()
    expect($('[role=alert]')!.textContent).toBe('Please choose a score first.')
    expect(calls).toEqual([])
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
  ])('after %i asks “%s” in a labelled text box of at most 2,000 characters', (score, prompt) => {
    const { radio, tap, root, $ } = show()
    tap(radio(score))
    const box = $<HTMLTextAreaElement>('textarea')!
    expect(root.querySelector(`label[for="${box.id}"]`)!.textContent).toBe(prompt)
    expect(box.maxLength).toBe(2000)
    expect(box.placeholder).toBe('Optional')
  })

  it('shows the chosen score, with the ratings before the text box so a phone’s keyboard never covers them', () => {
    const { radio, tap, root, $ } = show()
    tap(radio(9))
    expect($('.chosen')!.textContent).toBe('Your score 9Change')
    const change = $('.change')!
    expect(root.getElementById(change.getAttribute('aria-describedby')!)!.textContent).toBe('Your score 9')
    const order = [...root.querySelectorAll('[role=radiogroup], textarea')].map((element) => element.tagName)
    expect(order).toEqual(['DIV', 'DIV', 'TEXTAREA'])
  })

  it('lets the visitor change the score, keeping what they wrote, and counts the new one', () => {
    const { radio, tap, calls, $, send } = show()
    tap(radio(3))
    $<HTMLTextAreaElement>('textarea')!.value = 'The box was crushed'
    tap(radio(2, 'delivery'))
    $<HTMLButtonElement>('.change')!.click()
    expect(radio(3).checked).toBe(true)
    tap(radio(8))
    expect($('label[for=comment]')!.textContent).toBe('What is missing?')
    expect($<HTMLTextAreaElement>('textarea')!.value).toBe('The box was crushed')
    expect(radio(2, 'delivery').checked).toBe(true)
    send()
    expect(calls).toEqual([
      ['answer', 3],
      ['answer', 8],
      ['complete', { score: 8, comment: 'The box was crushed', dimensions: { delivery: 2 } }],
    ])
  })

  it('does not count a score again when the visitor changes their mind back to it', () => {
    const { radio, tap, calls, $ } = show()
    tap(radio(9))
    $<HTMLButtonElement>('.change')!.click()
    tap(radio(9))
    expect(calls).toEqual([['answer', 9]])
  })

  it('asks CSAT’s low and high follow-ups by band, and a 3 neither of them', () => {
    const csat: PublicSurvey = { ...survey, type: 'csat', followUp: { low: { en: 'What went wrong?' }, high: { en: 'Anything better?' } }, dimensions: [] }
    const asked = [2, 3, 4].map((score) => {
      const { radio, tap, $ } = show(csat)
      tap(radio(score))
      const prompt = $('label[for=comment]')!.textContent
      document.body.replaceChildren()
      return prompt
    })
    expect(asked).toEqual(['What went wrong?', 'What would have made it better?', 'Anything better?'])
  })

  it('asks a CSAT 3 or CES 4 the survey’s own neutral prompt when it has one', () => {
    for (const [type, score] of [['csat', 3], ['ces', 4]] as const) {
      const { radio, tap, $ } = show({ ...survey, type, followUp: { low: { en: 'What went wrong?' }, neutral: { en: 'What was missing?' } }, dimensions: [] })
      tap(radio(score))
      expect($('label[for=comment]')!.textContent).toBe('What was missing?')
      document.body.replaceChildren()
    }
  })

  it('asks each dimension 1–5 in a group named by its label', () => {
    const { radio, tap, root } = show()
    tap(radio(9))
    const groups = [...root.querySelectorAll('[role=radiogroup]')]
    expect(groups.map((group) => root.getElementById(group.getAttribute('aria-labelledby')!)!.textContent)).toEqual(['Product', 'Delivery'])
    expect(groups.map((group) => group.querySelectorAll('input').length)).toEqual([5, 5])
  })

  it('skips the text box when the band has no prompt, and still asks the ratings', () => {
    const { radio, tap, $ } = show({ ...survey, followUp: { promoter: { en: 'Liked?' } } })
    tap(radio(1))
    expect($('textarea')).toBeNull()
    expect($('[role=radiogroup]')).not.toBeNull()
  })

  it('completes with the trimmed comment and only the ratings given, then thanks in a live region', () => {
    const { radio, tap, send, $, root, calls } = show()
    tap(radio(8))
    $<HTMLTextAreaElement>('textarea')!.value = '  Faster delivery  '
    tap(radio(4, 'product'))
    send()
    expect(calls).toEqual([['answer', 8], ['complete', { score: 8, comment: 'Faster delivery', dimensions: { product: 4 } }]])
    expect($('[role=status]')!.textContent).toBe('Thank you for your feedback!')
    expect($('form')).toBeNull()
    expect(root.activeElement).toBe($('.close'))
  })

  it('completes with the score alone when the details are left empty', () => {
    const { radio, tap, send, calls } = show()
    tap(radio(0))
    send()
    expect(calls).toEqual([['answer', 0], ['complete', { score: 0 }]])
  })

  it('goes straight to the thanks when there is nothing more to ask', () => {
    const { radio, tap, calls, $ } = show({ ...survey, followUp: undefined, dimensions: undefined })
    tap(radio(6))
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
    const { radio, tap, card, calls, $ } = show()
    tap(radio(5))
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
    const { radio, tap, calls } = show({ ...survey, followUp: undefined, dimensions: undefined })
    tap(radio(10))
    vi.advanceTimersByTime(CLOSE_AFTER_MS - 1)
    expect(calls).toEqual([['answer', 10], ['complete', { score: 10 }]])
    vi.advanceTimersByTime(1)
    expect(calls.at(-1)).toEqual(['close'])
  })

  it('forgets the pending close when the host unmounts it first', () => {
    vi.useFakeTimers()
    const { radio, tap, calls, unmount } = show({ ...survey, followUp: undefined, dimensions: undefined })
    tap(radio(10))
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

  it('after a tapped score, rests on the card, so no phone keyboard opens', () => {
    const { radio, tap, root, card } = show()
    radio(9).focus()
    tap(radio(9))
    expect(root.activeElement).toBe(card())
  })

  it('after a score sent with the keyboard, moves to the first field of the next step', () => {
    const { radio, select, send, root } = show()
    radio(9).focus()
    select(radio(9))
    send()
    expect(root.activeElement).toBe(radio(1, 'product'))
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

  it('is modal, with a backdrop, and takes focus on itself: no score looks chosen', () => {
    const { card, root, $ } = show(modal)
    expect(card().getAttribute('aria-modal')).toBe('true')
    expect(root.activeElement).toBe(card())
    expect(root.querySelector('input:focus, input:checked')).toBeNull()
    expect($('.backdrop')).not.toBeNull()
  })

  it('a click outside it is a dismissal', () => {
    const { $, calls } = show(modal)
    $('.backdrop')!.click()
    expect(calls).toEqual([['dismiss']])
  })

  it('Tab on the last control wraps to the chosen radio, Shift+Tab on the group or the card wraps to the last', () => {
    const { $, root, radio, select, card } = show(modal)
    expect(tab(card(), true)).toBe(false)
    expect(root.activeElement).toBe($('.close'))
    select(radio(7))
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
  it.each(['en', 'zh-CN', 'ja', 'ko', 'ar'] as const)('%s: every state speaks the language the config brought, and says so', (locale) => {
    const { texts, dir } = language(locale)
    const { card, $, radio, tap, send, root } = show(survey, locale)
    expect(card().getAttribute('lang')).toBe(locale)
    expect(card().getAttribute('dir')).toBe(dir)
    expect(card().getAttribute('aria-label')).toBe(survey.question[locale] ?? survey.question.en)
    expect($('.ends')!.textContent).toBe(texts.npsLow + texts.npsHigh)
    expect($('.close')!.getAttribute('aria-label')).toBe(texts.close)
    expect($('.send')!.textContent).toBe(texts.send)
    send()
    expect($('[role=alert]')!.textContent).toBe(texts.pickScore)
    tap(radio(9))
    expect($('.chosen')!.textContent).toBe(`${texts.yourScore} 9${texts.change}`)
    expect($<HTMLTextAreaElement>('textarea')!.placeholder).toBe(texts.optional)
    expect(root.querySelector('[role=radiogroup] ~ .ends')!.textContent).toBe(texts.csatLow + texts.csatHigh)
    send()
    expect($('[role=status]')!.textContent).toBe(texts.thanks)
  })

  it('writes Arabic right to left', () => {
    expect(show(survey, 'ar').card().getAttribute('dir')).toBe('rtl')
    expect(show(survey, 'en').card().getAttribute('dir')).toBe('ltr')
  })

  it('a survey overrides any text for its language only', () => {
    const overridden = { ...survey, texts: { en: { send: 'Next', thanks: 'Cheers' } } }
    expect(show(overridden).$('.send')!.textContent).toBe('Next')
    expect(show(overridden, 'zh-CN').root.querySelector('.send')!.textContent).toBe(language('zh-CN').texts.send)
    expect(english.send).toBe('Send')
  })
})

describe('a score chosen in an email (initialScore)', () => {
  it('opens at the follow-up for that score, showing it, without reporting it again', () => {
    const { root, calls, $, send } = show(survey, 'en', 3)
    expect(root.textContent).toContain('What went wrong?')
    expect($('.chosen')!.textContent).toContain('3')
    expect($('input[name="score"]')).toBeNull()
    expect(calls).toEqual([])
    $<HTMLTextAreaElement>('textarea')!.value = 'Late parcel'
    send()
    expect(calls).toEqual([['complete', { score: 3, comment: 'Late parcel' }]])
  })

  it('lets the visitor change a score chosen in the email', () => {
    const { radio, tap, calls, $ } = show(survey, 'en', 3)
    $<HTMLButtonElement>('.change')!.click()
    tap(radio(9))
    expect(calls).toEqual([['answer', 9]])
  })

  it('goes straight to the thanks when there is nothing more to ask', () => {
    const { root, calls } = show({ ...survey, followUp: undefined, dimensions: undefined }, 'en', 9)
    expect(root.querySelector('[role="status"]')).not.toBeNull()
    expect(calls).toEqual([['complete', { score: 9 }]])
  })
})
