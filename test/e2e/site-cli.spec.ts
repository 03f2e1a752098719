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

test('the site CLI creates a site, adds a survey, reads stats and exports', async ({ baseURL }, testInfo) => {
  const id = `pk_cli${crypto.randomUUID().slice(0, 8)}`
  const created = await site(baseURL!, ['create', id, '--name', 'CLI shop', '--origin', 'https://cli.example.com', '--timezone', 'Europe/Berlin'])
  const { operatorToken } = JSON.parse(created.stdout) as { operatorToken: string }
  expect(operatorToken).toMatch(/^hk_/)

  const surveyFile = testInfo.outputPath('survey.json')
  writeFileSync(surveyFile, JSON.stringify({ id: 'checkout', type: 'csat', checkpoints: ['checkout_done'], question: { en: 'How was checkout?' } }))
  await site(baseURL!, ['put-survey', id, surveyFile], operatorToken)
  const surveys = JSON.parse((await site(baseURL!, ['surveys', id], operatorToken)).stdout) as { surveys: { id: string }[] }
  expect(surveys.surveys.map((survey) => survey.id)).toEqual(['checkout'])

  const stats = JSON.parse((await site(baseURL!, ['stats', id, 'checkout', '--compare'], operatorToken)).stdout) as { csat: { n: number } }
  expect(stats.csat.n).toBe(0)
  const csv = (await site(baseURL!, ['export', id], operatorToken)).stdout
  expect(csv).toContain('created_at,id,survey,score')

  await expect(site(baseURL!, ['show', id], 'hk_wrong')).rejects.toThrow(/403/)
  await site(baseURL!, ['delete', id], operatorToken)
})
