/**
 * What `npm run site -- init` puts on a new site and prints: a first NPS survey that every
 * visitor reaching the checkpoint may get (no segments, no conditions, so nothing to define
 * first), and the snippet and ES-module call that ask it.
 */

/** The starter survey's id. */
export const STARTER_SURVEY = 'first-nps'

/** A first NPS survey for `name`, asked at `checkpoint`, in every language the widget speaks. */
export function starterSurvey(name: string, checkpoint: string) {
  return {
    id: STARTER_SURVEY,
    type: 'nps',
    checkpoints: [checkpoint],
    question: {
      en: `How likely are you to recommend ${name} to a friend or colleague?`,
      'zh-CN': `您向朋友或同事推荐 ${name} 的可能性有多大？`,
      'zh-TW': `您向朋友或同事推薦 ${name} 的可能性有多大？`,
    },
    followUp: {
      detractor: { en: 'What was the main problem?', 'zh-CN': '主要有什么问题？', 'zh-TW': '主要有什麼問題？' },
      passive: { en: 'What would have made it a 10?', 'zh-CN': '怎样做才能让您打 10 分？', 'zh-TW': '怎麼做才能讓您打 10 分？' },
      promoter: { en: 'What did you like most?', 'zh-CN': '您最喜欢哪一点？', 'zh-TW': '您最喜歡哪一點？' },
    },
  }
}

/** The lines that put `site` on a page or in an app, for a worker at `endpoint`. */
export function snippet(endpoint: string, site: string, checkpoint: string): string {
  return `In your pages' <head>:

  <script>
    window.hearken = window.hearken || function () { (hearken.q = hearken.q || []).push(arguments) }
  </script>
  <script async src="${endpoint}/hearken.js" data-site="${site}"></script>

Where the moment happens:

  <script>hearken('checkpoint', '${checkpoint}')</script>

Or from an app (npm install hearken):

  import { createHearken } from 'hearken'
  const hearken = createHearken({ site: '${site}', endpoint: '${endpoint}' })
  hearken.on('error', ({ message }) => console.warn('hearken:', message))
  await hearken.checkpoint('${checkpoint}')`
}
