import { expect, it } from 'vitest'
import { WIDGET_CONTRACT } from './widget-contract.ts'
import { widgetUrl } from './widget-chunk.ts'

it('imports the hashed card the config names, from the worker', () => {
  expect(widgetUrl('https://feedback.example.com', { url: 'chunks/widget.1a2b3c4d.js', contract: WIDGET_CONTRACT })).toBe('https://feedback.example.com/chunks/widget.1a2b3c4d.js')
})

it('refuses a card of another contract version, or none named, saying what to do', () => {
  const advice = 'deploy worker and SDK together'
  expect(() => widgetUrl('https://feedback.example.com', { url: 'chunks/widget.1a2b3c4d.js', contract: WIDGET_CONTRACT + 1 })).toThrow(advice)
  expect(() => widgetUrl('https://feedback.example.com', { url: 'chunks/widget.1a2b3c4d.js', contract: WIDGET_CONTRACT - 1 })).toThrow(advice)
  expect(() => widgetUrl('https://feedback.example.com', undefined)).toThrow(advice)
})
