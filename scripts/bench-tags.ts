/**
 * `npm run bench:tags`: the comment classifier's accuracy on its evaluation set and its cost
 * per comment; then (unless `--classifier-only`) what tag filtering, themes and re-tagging cost
 * at 10 k and at 1 M answers in a local D1, which takes a few minutes. Each is printed and
 * written as its section of bench/RESULTS.md (the rest of the file is kept). `--misses` also
 * lists the tuning part's mistakes, to read while changing the built-in words; the held-out
 * part's are never listed.
 */
import { join, resolve } from 'node:path'
import { machine } from './machine.ts'
import { benchTagQueries, QUERIES_END, QUERIES_START, tagQueriesSection } from './tag-queries-bench.ts'
import { classifyComment } from '../worker/src/tags/classify.ts'
import { outsideSet } from '../worker/test/tags-eval/eval-set.ts'
import { score } from '../worker/test/tags-eval/score.ts'
import { benchTags, tagsSection, writeMarkedSection, writeTagsSection } from './tags-bench.ts'

const bench = benchTags()
const section = tagsSection(bench)
console.log(`Machine: ${machine()}\n\n${section}`)
// The outside set (docs/tags.md) is printed, never written to RESULTS.md's section, and its misses never listed.
const outside = score(outsideSet, (text) => classifyComment(text))
console.log(`\nOutside set: kind accuracy ${(outside.kindAccuracy * 100).toFixed(1)} % of ${outside.comments}; topic precision ${outside.tags.slice(3).map((tag) => `${tag.tag} ${(tag.precision * 100).toFixed(1)} %`).join(', ')}`)
if (process.argv.includes('--misses')) {
  for (const { comment, predicted } of bench.tuning.misses) {
    console.log(`${comment.id}: labelled ${comment.kind ?? 'none'} [${comment.topics.join(', ')}], got ${predicted.kind ?? 'none'} [${predicted.topics.join(', ')}]: ${comment.text}`)
  }
}
const out = join(resolve(import.meta.dirname, '..'), 'bench', 'RESULTS.md')
writeTagsSection(out, section)
console.log(`\nWritten to ${out}`)

if (!process.argv.includes('--classifier-only')) {
  console.log('\nSeeding 10 k and 1 M answers into a local D1 and measuring tag filtering, themes and re-tagging…')
  const queries = tagQueriesSection(benchTagQueries(), machine())
  console.log(`\n${queries}`)
  writeMarkedSection(out, QUERIES_START, QUERIES_END, queries)
  console.log(`\nWritten to ${out}`)
}
