/**
 * A product team's app, as the README tells it: `npm install hearken`, declare the checkpoints,
 * call one. test/install copies this folder outside the repository, installs the packed SDK,
 * compiles it strictly and builds it with Vite.
 */
import { createHearken } from 'hearken'
import { endpoint, site } from './site'

type Checkpoints = {
  order_completed: { orderId: string; amount: number }
}

const hearken = createHearken<Checkpoints>({ site, endpoint })

const log = document.querySelector<HTMLOListElement>('#log')
const note = (text: string): void => {
  const item = document.createElement('li')
  item.textContent = text
  log?.append(item)
}

hearken.on('show', ({ survey }) => note(`show ${survey.id}`))
hearken.on('skip', ({ reason }) => note(`skip ${reason}`))
hearken.on('answer', ({ score }) => note(`answer ${score}`))
hearken.on('delivered', ({ kind }) => note(`delivered ${kind}`))
hearken.on('error', ({ message }) => note(`error ${message}`))

document.querySelector('#pay')?.addEventListener('click', () => {
  void hearken.checkpoint('order_completed', { orderId: 'A-1001', amount: 129 })
})
