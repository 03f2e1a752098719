import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { writeFileSync } from 'node:fs'
import { expect, test } from './fixtures.ts'

const run = promisify(execFile)

/** Runs `npm run site -- …` against the test worker. */
function site(baseURL: string, args: string[], token?: string) {
  return run(process.execPath, ['scripts/site.ts', ...args], {
    env: { ...process.env, HEARKEN_URL: baseURL, HEARKEN_ADMIN_TOKEN: process.env.HEARKEN_ADMIN_TOKEN, ...(token ? { HEARKEN_TOKEN: token } : {}) },
  })
}

/** The operator token, which `create` and `init` print first, on their first line. */
function tokenOnFirstLine(stdout: string): string {
  const token = /^Operator token for pk_\w+ \(shown only now, keep it\): (hk_[\w-]+)$/.exec(stdout.split('\n')[0]!)?.[1]
  expect(token, stdout).toBeDefined()
  return token!
}

test('the site CLI creates a site, adds a survey, reads stats and exports', async ({ baseURL }, testInfo) => {
  const id = `pk_cli${crypto.randomUUID().slice(0, 8)}`
  const created = await site(baseURL!, ['create', id, '--name', 'CLI shop', '--origin', 'https://cli.example.com', '--timezone', 'Europe/Berlin'])
  const operatorToken = tokenOnFirstLine(created.stdout)

  const surveyFile = testInfo.outputPath('survey.json')
  writeFileSync(surveyFile, JSON.stringify({ id: 'checkout', type: 'csat', checkpoints: ['checkout_done'], question: { en: 'How was checkout?' } }))
  await site(baseURL!, ['put-survey', id, surveyFile], operatorToken)
  const surveys = JSON.parse((await site(baseURL!, ['surveys', id], operatorToken)).stdout) as { surveys: { id: string }[] }
  expect(surveys.surveys.map((survey) => survey.id)).toEqual(['checkout'])

  const stats = JSON.parse((await site(baseURL!, ['stats', id, 'checkout', '--compare'], operatorToken)).stdout) as { csat: { n: number } }
  expect(stats.csat.n).toBe(0)
  const csv = (await site(baseURL!, ['export', id], operatorToken)).stdout
  expect(csv).toContain('created_at,day,id,survey,score')

  await expect(site(baseURL!, ['show', id], 'hk_wrong')).rejects.toThrow(/403/)
  await site(baseURL!, ['delete', id], operatorToken)
})

test('init makes a site with a first survey that shows at its checkpoint, token first, then the snippet', async ({ baseURL }) => {
  const id = `pk_init${Date.now()}`
  const origin = 'https://init.example.com'
  const { stdout } = await site(baseURL!, ['init', id, '--origin', origin, '--checkpoint', 'signup_done'])
  const operatorToken = tokenOnFirstLine(stdout)
  expect(stdout).toContain(`<script async src="${baseURL}/hearken.js" data-site="${id}"></script>`)
  expect(stdout).toContain(`hearken('checkpoint', 'signup_done')`)
  expect(stdout).toContain(`createHearken({ site: '${id}', endpoint: '${baseURL}' })`)
  expect(stdout.split('\n').length).toBeLessThan(40)

  // What a page on that origin gets: the survey, at that checkpoint, with no segment to define first.
  const config = (await (await fetch(`${baseURL}/v1/sites/${id}/config`, { headers: { origin } })).json()) as {
    segments: unknown[]
    surveys: { id: string; type: string; checkpoints: string[]; targeting?: unknown; question: { en: string } }[]
  }
  expect(config.segments).toEqual([])
  expect(config.surveys).toEqual([
    expect.objectContaining({ id: 'first-nps', type: 'nps', checkpoints: ['signup_done'], question: expect.objectContaining({ en: 'How likely are you to recommend init.example.com to a friend or colleague?' }) }),
  ])
  expect(config.surveys[0]!.targeting).toBeUndefined()

  // Again: refused, and the site keeps its token.
  await expect(site(baseURL!, ['init', id, '--origin', 'https://other.example.com'])).rejects.toThrow(/exists already/)
  expect((await site(baseURL!, ['show', id], operatorToken)).stdout).toContain(origin)
  await site(baseURL!, ['delete', id], operatorToken)
})
