/**
 * The labelled comments of `comments.json` (rules in README.md beside it) and their seeded
 * tuning / held-out split, and the outside set `outside.json` (written later, by the same
 * rules, to check the classifier on wording nobody tuned it on), shared by the accuracy test
 * and `npm run bench:tags`.
 */
import comments from './comments.json' with { type: 'json' }
import outside from './outside.json' with { type: 'json' }
import { seededRandom } from '../seeded-random.ts'

export type EvalKind = 'problem' | 'suggestion' | 'praise'
export type EvalTopic = 'delivery' | 'price' | 'quality' | 'support' | 'usability'
export type EvalLang = 'zh-CN' | 'zh-TW' | 'en'

export interface LabelledComment {
  id: string
  lang: EvalLang
  source: 'shop' | 'delivery' | 'helpdesk'
  kind: EvalKind | null
  topics: EvalTopic[]
  text: string
}

export const evalSet = comments as LabelledComment[]
/** Never split or tuned on, beyond the misses it was written to show (README.md, "Outside set"). */
export const outsideSet = outside as LabelledComment[]
export const evalKinds: EvalKind[] = ['problem', 'suggestion', 'praise']
export const evalTopics: EvalTopic[] = ['delivery', 'price', 'quality', 'support', 'usability']

/** Fixed before any rule was written; changing it would leak the held-out part into tuning. */
export const HELD_OUT_SEED = 17
const HELD_OUT_SHARE = 0.25


/** A quarter of each language, chosen by a seeded Fisher–Yates shuffle, is held out. */
export function splitEvalSet(set: LabelledComment[] = evalSet, seed = HELD_OUT_SEED): { tuning: LabelledComment[]; heldOut: LabelledComment[] } {
  const random = seededRandom(seed)
  const heldOutIds = new Set<string>()
  for (const lang of ['zh-CN', 'zh-TW', 'en'] as const) {
    const ids = set.filter((comment) => comment.lang === lang).map((comment) => comment.id)
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[ids[i], ids[j]] = [ids[j]!, ids[i]!]
    }
    for (const id of ids.slice(0, Math.round(ids.length * HELD_OUT_SHARE))) heldOutIds.add(id)
  }
  return {
    tuning: set.filter((comment) => !heldOutIds.has(comment.id)),
    heldOut: set.filter((comment) => heldOutIds.has(comment.id)),
  }
}
