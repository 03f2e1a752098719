/**
 * Scores a classifier against the labelled comments: kind accuracy (none counts as a label of
 * its own) and, for each kind and topic, precision and recall of the tag.
 */
import { evalKinds, evalTopics, type LabelledComment } from './eval-set.ts'

export interface Predicted {
  kind: string | null
  topics: string[]
}

export interface TagScore {
  tag: string
  /** Comments labelled with the tag, predicted with it, and both. */
  labelled: number
  predicted: number
  correct: number
  precision: number
  recall: number
}

export interface Score {
  comments: number
  kindAccuracy: number
  tags: TagScore[]
  /** Comments whose kind or topics differ from the label, for reading, never for tuning on the held-out part. */
  misses: { comment: LabelledComment; predicted: Predicted }[]
}

const ratio = (part: number, whole: number): number => (whole === 0 ? 1 : part / whole)

export function score(comments: LabelledComment[], classify: (text: string) => Predicted): Score {
  const counts = new Map<string, { labelled: number; predicted: number; correct: number }>()
  for (const tag of [...evalKinds, ...evalTopics]) counts.set(tag, { labelled: 0, predicted: 0, correct: 0 })
  let kindsRight = 0
  const misses: Score['misses'] = []
  for (const comment of comments) {
    const predicted = classify(comment.text)
    if (predicted.kind === comment.kind) kindsRight++
    const labelled = new Set<string>([...(comment.kind ? [comment.kind] : []), ...comment.topics])
    const got = new Set([...(predicted.kind ? [predicted.kind] : []), ...predicted.topics.filter((topic) => counts.has(topic))])
    for (const [tag, count] of counts) {
      if (labelled.has(tag)) count.labelled++
      if (got.has(tag)) count.predicted++
      if (labelled.has(tag) && got.has(tag)) count.correct++
    }
    if (predicted.kind !== comment.kind || labelled.size !== got.size || [...labelled].some((tag) => !got.has(tag))) misses.push({ comment, predicted })
  }
  return {
    comments: comments.length,
    kindAccuracy: ratio(kindsRight, comments.length),
    tags: [...counts].map(([tag, count]) => ({ tag, ...count, precision: ratio(count.correct, count.predicted), recall: ratio(count.correct, count.labelled) })),
    misses,
  }
}
