import { describe, expect, it } from 'vitest'
import { addWebhook, alertHarness, answer, pathFor, received, script } from './alert-harness.ts'
import { open, postForm, signIn } from './dashboard-helpers.ts'
import { asOperator, freshSite } from './helpers.ts'

/** Who to call back, in the feed, the JSON listing and the CSV; and the dashboard's alerts page with its buttons. */
describe('who an answer is about', () => {
  it('shows the user and the subject in the feed, the JSON listing and the CSV', async () => {
    const { site, token } = await freshSite()
    await answer(site, Date.UTC(2026, 1, 2, 3), { score: 2, comment: 'late', user: 'u-<b>42</b>', subject: 'ticket T-9 <i>' })
    const listed = await (await asOperator(`/v1/sites/${site}/responses`, token)).json<{ responses: { user: string; subject: string }[] }>()
    expect(listed.responses[0]).toMatchObject({ user: 'u-<b>42</b>', subject: 'ticket T-9 <i>' })
    const csv = await (await asOperator(`/v1/sites/${site}/responses?format=csv`, token)).text()
    const [header, row] = csv.replace('\uFEFF', '').split('\r\n')
    const columns = header!.split(',')
    expect(row!.split(',')[columns.indexOf('subject')]).toBe('ticket T-9 <i>')
    expect(row!.split(',')[columns.indexOf('user')]).toBe('u-<b>42</b>')
    const { html } = await open('/dashboard?survey=nps&from=2026-02-01&to=2026-02-03', await signIn(site, token))
    expect(html).toContain('User: u-&lt;b&gt;42&lt;/b&gt;')
    expect(html).toContain('About: ticket T-9 &lt;i&gt;')
  })
})

describe('the alerts page', () => {
  it('shows each webhook’s last delivery and its failures in the platform’s words, escaped, with a test and a retry button', async () => {
    const { site, token } = await freshSite()
    const h = alertHarness(Date.now())
    const good = pathFor('wecom')
    const bad = pathFor('json')
    await addWebhook(site, token, 'team-chat', 'wecom', `${good}?key=secret-robot-key`)
    await addWebhook(site, token, 'crm', 'json', bad)
    await script(bad, 'hostile', 'hostile', 'hostile', 'hostile', 'hostile', 'hostile', 'hostile', 'hostile')
    const id = await answer(site, h.now(), { score: 1 })
    await h.consume([{ kind: 'negative', site, webhook: 'team-chat', response: id }, { kind: 'negative', site, webhook: 'crm', response: id }])
    await h.runUntil(h.now() + 40 * 3600_000)
    const cookie = await signIn(site, token)
    const page = await open('/dashboard/alerts', cookie)
    expect(page.status).toBe(200)
    expect(page.html).toContain('/wecom/')
    expect(page.html).not.toContain('secret-robot-key')
    expect(page.html).toContain('Receiver answered HTTP 500: &lt;script&gt;alert(1)&lt;/script&gt;')
    expect(page.html).not.toContain('<script>alert(1)')
    const message = /action="\/dashboard\/alerts\/crm\/messages\/(msg_[A-Za-z0-9_-]+)\/retry/.exec(page.html)![1]!

    // Buttons are forms: refused from another origin, taken from the dashboard's own.
    expect((await postForm('/dashboard/alerts/team-chat/test', {}, { cookie, origin: 'https://evil.example' })).status).toBe(403)
    expect(await received(good)).toHaveLength(1)
    const tested = await postForm('/dashboard/alerts/team-chat/test?lang=en', {}, { cookie })
    expect(tested.status).toBe(303)
    expect(await received(good)).toHaveLength(2)
    expect((await open(tested.headers.get('location')!, cookie)).html).toContain('Test alert delivered.')

    const retried = await postForm(`/dashboard/alerts/crm/messages/${message}/retry?lang=en`, {}, { cookie })
    expect(retried.status).toBe(303)
    const after = await open(retried.headers.get('location')!, cookie)
    expect(after.html).toContain('Message delivered.')
    expect((await received(bad)).at(-1)!.status).toBe(204)
  })
})
