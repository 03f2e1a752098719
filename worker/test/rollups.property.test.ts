import { env } from 'cloudflare:workers'
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { erasePerson } from '../src/erase.ts'
import { storeImpression, storeResponse } from '../src/ingest.ts'
import { withCommented } from '../src/response-tags.ts'
import { runRetag } from '../src/retagging.ts'
import { seedStatements } from '../src/seed.ts'
import { findSite, saveSite, type Site } from '../src/sites.ts'
import { findSurvey } from '../src/surveys.ts'
import { classifyComment, type TagRule } from '../src/tags.ts'
import { recountMatchesRollups } from './recount.ts'

const visitors = ['ann', 'bob', 'cai', 'dan']
const DAY = 24 * 3600 * 1000

/** Comments whose tags the rule sets below change, in the three scripts, and some they leave alone. */
const comments = ['The espresso was cold', '顺丰很快，咖啡很好喝', 'Still no refund', '咖啡涼了，沒有退款', 'Parcel arrived late and damaged', '質量不錯', 'ok', '客服态度很差']
const ruleSets: TagRule[][] = [
  [],
  [{ tag: 'coffee', keywords: ['espresso', '咖啡'] }, { tag: 'delivery', keywords: ['顺丰'] }],
  [{ tag: 'problem', keywords: ['cold', '凉了'] }, { tag: 'refund-missing', keywords: ['refund', '退款'], whenNegated: 'only' }, { tag: 'coffee', keywords: ['咖啡'] }],
]
const comment = fc.option(fc.oneof(fc.constantFrom(...comments), fc.string({ maxLength: 20 })), { nil: undefined })

const operation = fc.oneof(
  fc.record({
    kind: fc.constant('answer' as const),
    survey: fc.constantFrom('nps', 'csat'),
    score: fc.integer({ min: 1, max: 5 }),
    visitor: fc.constantFrom(...visitors),
    day: fc.integer({ min: 0, max: 3 }),
    fast: fc.boolean(),
    dimensions: fc.option(fc.record({ product: fc.integer({ min: 1, max: 5 }) }), { nil: undefined }),
    comment,
  }),
  fc.record({ kind: fc.constant('repeat' as const), pick: fc.nat(), comment, rating: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }) }),
  // An answer through a survey link may change its score, and the flags its request earns.
  fc.record({ kind: fc.constant('rescore' as const), pick: fc.nat(), score: fc.integer({ min: 1, max: 5 }), fast: fc.boolean() }),
  fc.record({ kind: fc.constant('shown' as const), visitor: fc.option(fc.constantFrom(...visitors), { nil: undefined }), day: fc.integer({ min: 0, max: 3 }) }),
  fc.record({ kind: fc.constant('erase' as const), visitor: fc.constantFrom(...visitors) }),
  // The site's tag rules change, and re-tagging runs a batch of two answers at a time, between the other writes.
  fc.record({ kind: fc.constant('rules' as const), set: fc.nat({ max: ruleSets.length - 1 }) }),
  fc.record({ kind: fc.constant('retag' as const) }),
)

/** Runs the site's re-tagging job, if any, `batches` batches of two answers at a time. */
async function retag(siteId: string, batches: number, now: number): Promise<void> {
  const job = await env.DB.prepare('SELECT requested_at FROM tag_jobs WHERE site_id = ?').bind(siteId).first<{ requested_at: number }>()
  if (job) await runRetag(env.DB, siteId, job.requested_at, { now, batches, batchSize: 2 })
}

/** Every stored comment carries the tags the classifier gives it under `rules` (and the COMMENTED row), and no tag outlives its answer. */
async function tagsMatchClassifier(siteId: string, rules: TagRule[]): Promise<void> {
  const [answers, tags] = await env.DB.batch<Record<string, string | number | null>>([
    env.DB.prepare('SELECT id, survey_id, created_at, comment FROM responses WHERE site_id = ? ORDER BY id').bind(siteId),
    env.DB.prepare('SELECT response_id, tag, position, survey_id, created_at FROM response_tags WHERE site_id = ? ORDER BY response_id, position').bind(siteId),
  ])
  const expected = answers!.results.flatMap((answer) =>
    (answer.comment === null ? [] : withCommented(classifyComment(answer.comment as string, rules).tags)).map((tag, position) => ({ response_id: answer.id, tag, position, survey_id: answer.survey_id, created_at: answer.created_at })),
  )
  expect(tags!.results).toEqual(expected)
}

it('keeps rollups equal to a recount of the raw rows after any inserts, repeats, merges, changed scores, erasures and re-tagging', async () => {
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
      let site: Site = (await findSite(env.DB, siteId))!
      const surveys = { nps: (await findSurvey(env.DB, siteId, 'nps'))!, csat: (await findSurvey(env.DB, siteId, 'csat'))! }
      const sent: { id: string; survey: 'nps' | 'csat'; score: number; visitor: string; day: number }[] = []
      const start = Date.parse('2026-02-01T06:00:00Z')

      for (const op of operations) {
        if (op.kind === 'answer') {
          const id = crypto.randomUUID()
          sent.push({ id, survey: op.survey, score: op.score, visitor: op.visitor, day: op.day })
          await storeResponse(env.DB, site, surveys[op.survey], {
            id, site: siteId, survey: op.survey, score: op.score, visitor: op.visitor,
            elapsedMs: op.fast ? 100 : 5000, dimensions: op.dimensions, comment: op.comment || undefined,
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
        } else if (op.kind === 'rules') {
          await saveSite(env.DB, siteId, { name: site.name, origins: site.origins, settings: { tagRules: ruleSets[op.set]! } }, site, undefined, start)
          site = (await findSite(env.DB, siteId))!
        } else if (op.kind === 'retag') {
          await retag(siteId, 1, start + 10 * DAY)
        }
      }
      await recountMatchesRollups(siteId)
      // Re-tagging to its end leaves every comment with the tags of the rules in force.
      await retag(siteId, 100, start + 10 * DAY)
      await tagsMatchClassifier(siteId, site.settings.tagRules)
      await recountMatchesRollups(siteId)
    }),
    // Seeded: the same 40 sequences every run.
    { seed: 20_261_201, numRuns: 40 },
  )
}, 120_000)
