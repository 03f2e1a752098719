import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { PublicSurvey, SiteConfig } from '../../sdk/protocol.ts'
import { ORIGIN, asOperator, call, freshSite } from './helpers.ts'

/** A survey written in three languages, with its own card texts in two. */
const multilingual = {
  id: 'nps',
  type: 'nps',
  checkpoints: ['order_completed'],
  question: { en: 'How likely are you to recommend us?', ja: '友人に勧める可能性は？', fr: 'Nous recommanderiez-vous ?' },
  followUp: { detractor: { en: 'What went wrong?', ja: '何が問題でしたか？', fr: 'Qu’est-ce qui n’a pas marché ?' }, promoter: { en: 'What did you like?', fr: 'Qu’avez-vous aimé ?' } },
  dimensions: [{ id: 'delivery', label: { en: 'Delivery', ja: '配送', fr: 'Livraison' } }],
  texts: { ja: { send: '送る' }, fr: { send: 'Envoyer' } },
}

async function siteWithMultilingualSurvey(): Promise<string> {
  const { site, token } = await freshSite()
  const put = await asOperator(`/v1/sites/${site}/surveys/nps`, token, { method: 'PUT', body: JSON.stringify(multilingual) })
  expect(put.status).toBe(200)
  return site
}

const configIn = async (site: string, lang: string, headers: Record<string, string> = {}) => call(`/v1/sites/${site}/config?lang=${lang}`, { headers: { origin: ORIGIN, ...headers } })
const npsOf = async (reply: Response): Promise<PublicSurvey> => (await reply.json<SiteConfig>()).surveys.find((survey) => survey.id === 'nps')!

describe('the config in one language', () => {
  it('carries the surveys’ texts in the asked language and English only', async () => {
    const site = await siteWithMultilingualSurvey()
    const reply = await configIn(site, 'ja-JP')
    expect(reply.status).toBe(200)
    const nps = await npsOf(reply)
    expect(nps.question).toEqual({ en: multilingual.question.en, ja: multilingual.question.ja })
    expect(nps.followUp).toEqual({ detractor: { en: 'What went wrong?', ja: '何が問題でしたか？' }, promoter: { en: 'What did you like?' } })
    expect(nps.dimensions).toEqual([{ id: 'delivery', label: { en: 'Delivery', ja: '配送' } }])
    expect(nps.texts).toEqual({ ja: { send: '送る' } })
  })

  it('carries English alone, and no card-text overrides, for a language the survey is not written in', async () => {
    const site = await siteWithMultilingualSurvey()
    const nps = await npsOf(await configIn(site, 'ko'))
    expect(nps.question).toEqual({ en: multilingual.question.en })
    expect(nps.followUp).toEqual({ detractor: { en: 'What went wrong?' }, promoter: { en: 'What did you like?' } })
    expect(nps.dimensions).toEqual([{ id: 'delivery', label: { en: 'Delivery' } }])
    expect(nps).not.toHaveProperty('texts')
  })

  it('revalidates each language by its own ETag: a 304 for the same language, the other language’s body for another', async () => {
    const site = await siteWithMultilingualSurvey()
    const japanese = await configIn(site, 'ja')
    const etag = japanese.headers.get('etag')!
    expect(etag).toBeTruthy()
    expect((await configIn(site, 'ja', { 'if-none-match': etag })).status).toBe(304)
    const french = await configIn(site, 'fr', { 'if-none-match': etag })
    expect(french.status).toBe(200)
    expect(french.headers.get('etag')).not.toBe(etag)
    expect((await npsOf(french)).question).toEqual({ en: multilingual.question.en, fr: multilingual.question.fr })
  })
})

describe('the card the config names', () => {
  it('is the content-hashed widget this deployment serves, with its contract version', async () => {
    const { widget } = await (await call('/v1/sites/pk_demo/config', { headers: { origin: ORIGIN } })).json<SiteConfig>()
    expect(widget.url).toMatch(/^chunks\/widget\.[0-9a-f]{8}\.js$/)
    expect(widget.contract).toBe(1)
    // The file it names is among the assets served, and is the card's module.
    const card = await env.ASSETS.fetch(`https://hearken.test/${widget.url}`)
    expect(card.status).toBe(200)
    expect(await card.text()).toMatch(/export\s*\{[^}]*\bmount\b/)
  })
})
