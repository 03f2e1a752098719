import { createHearken } from 'hearken'

/** The app's checkpoints, declared once: a misspelt name or a missing prop does not compile. */
type Checkpoints = {
  order_completed: { orderId: string; amount: number }
  ticket_closed: { ticketId: string; channel?: string }
}

const hearken = createHearken<Checkpoints>({ site: 'pk_demo', endpoint: location.origin })

const log = document.querySelector('#log')!
const note = (text: string): void => void log.append(Object.assign(document.createElement('li'), { textContent: text }))

hearken.on('show', ({ survey, segment }) => note(`showing ${survey.id} to segment ${segment}`))
hearken.on('skip', ({ reason, checkpoint }) => note(`no survey for ${checkpoint}: ${reason}`))
hearken.on('answer', ({ score }) => note(`answered ${score}: stored in the outbox, on its way`))
hearken.on('delivered', ({ id, kind }) => note(`${kind} ${id.slice(0, 8)}… delivered`))
hearken.on('error', ({ message }) => note(`error: ${message}`))

void hearken.identify('user-42', { plan: 'pro', accountAgeDays: 12 })

document.querySelector('#pay')!.addEventListener('click', () => {
  void hearken.checkpoint('order_completed', { orderId: `A-${Date.now() % 10_000}`, amount: 129 })
})
document.querySelector('#support')!.addEventListener('click', () => {
  void hearken.checkpoint('ticket_closed', { ticketId: '4821' })
})
