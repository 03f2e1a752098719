import { env } from 'cloudflare:workers'
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { erasePerson } from '../src/erase.ts'
import { storeImpression, storeResponse } from '../src/ingest.ts'
import { seedStatements } from '../src/seed.ts'
import { findSite } from '../src/sites.ts'
import { findSurvey } from '../src/surveys.ts'
import { recountMatchesRollups } from './recount.ts'

const visitors = ['ann', 'bob', 'cai', 'dan']
const DAY = 24 * 3600 * 1000

const operation = fc.oneof(
  fc.record({
    kind: fc.constant('answer' as const),
    survey: fc.constantFrom('nps', 'csat'),
    score: fc.integer({ min: 1, max: 5 }),
    visitor: fc.constantFrom(...visitors),
    day: fc.integer({ min: 0, max: 3 }),
    fast: fc.boolean(),
    dimensions: fc.option(fc.record({ product: fc.integer({ min: 1, max: 5 }) }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('repeat' as const), pick: fc.nat(), comment: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }), rating: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }) }),
  // An answer through a survey link may change its score, and the flags its request earns.
  fc.record({ kind: fc.constant('rescore' as const), pick: fc.nat(), score: fc.integer({ min: 1, max: 5 }), fast: fc.boolean() }),
  fc.record({ kind: fc.constant('shown' as const), visitor: fc.option(fc.constantFrom(...visitors), { nil: undefined }), day: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('erase' as const), visitor: fc.constantFrom(...visitors) }),
)

it('keeps rollups equal to a recount of the raw rows after any inserts, repeats, merges, changed scores and flags, and erasures', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 14 }), async (operations) => {
      const siteId = `pk_p${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`
      const seed = await seedStatements({
        site: siteId,
        name: 'property',
        operatorToken: 'unused-token',
        timezone: 'Asia/Shanghai',
        origins: ['http://127.0.0.1:8787'],
        surveys: [
          { id: 'nps', type: 'nps', checkpoints: ['a'], question: { en: 'q' }, dimensions: [{ id: 'product', label: { en: 'p' } }] },
          { id: 'csat', type: 'csat', checkpoints: ['b'], question: { en: 'q' }, dimensions: [{ id: 'product', label: { en: 'p' } }] },
        ],
      })
      await env.DB.batch(seed.map(({ sql, params }) => env.DB.prepare(sql).bind(...params)))
      const site = (await findSite(env.DB, siteId))!
      const surveys = { nps: (await findSurvey(env.DB, siteId, 'nps'))!, csat: (await findSurvey(env.DB, siteId, 'csat'))! }
      const sent: { id: string; survey: 'nps' | 'csat'; score: number; visitor: string; day: number }[] = []
      const start = Date.parse('2026-02-01T06:00:00Z')

      for (const op of operations) {
        if (op.kind === 'answer') {
          const id = crypto.randomUUID()
          sent.push({ id, survey: op.survey, score: op.score, visitor: op.visitor, day: op.day })
          await storeResponse(env.DB, site, surveys[op.survey], {
            id, site: siteId, survey: op.survey, score: op.score, visitor: op.visitor,
            elapsedMs: op.fast ? 100 : 5000, dimensions: op.dimensions,
          }, {}, start + op.day * DAY)
        } else if (op.kind === 'repeat' && sent.length) {
          const earlier = sent[op.pick % sent.length]!
          await storeResponse(env.DB, site, surveys[earlier.survey], {
            id: earlier.id, site: siteId, survey: earlier.survey, score: earlier.score, visitor: earlier.visitor,
            comment: op.comment || undefined, dimensions: op.rating ? { product: op.rating } : undefined,
          }, {}, start + (earlier.day + 1) * DAY)
        } else if (op.kind === 'rescore' && sent.length) {
          // Through a survey link: the score and the request's flags change.
          const earlier = sent[op.pick % sent.length]!
          await storeResponse(env.DB, site, surveys[earlier.survey], {
            id: earlier.id, site: siteId, survey: earlier.survey, score: op.score, visitor: earlier.visitor, elapsedMs: op.fast ? 100 : 5000,
          }, { allowScoreChange: true }, start + (earlier.day + 2) * DAY)
        } else if (op.kind === 'shown') {
          await storeImpression(env.DB, site, surveys.nps, { id: crypto.randomUUID(), site: siteId, survey: 'nps', kind: 'shown', ...(op.visitor ? { visitor: op.visitor } : {}) }, start + op.day * DAY)
        } else if (op.kind === 'erase') {
          await erasePerson(env.DB, site, op.visitor)
        }
      }
      await recountMatchesRollups(siteId)
    }),
    // Seeded: the same 40 sequences every run.
    { seed: 20_261_201, numRuns: 40 },
  )
}, 120_000)
