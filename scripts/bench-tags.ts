/**
 * `npm run bench:tags`: the comment classifier's accuracy on its evaluation set and its cost
 * per comment, printed and written as the tags section of bench/RESULTS.md (the rest of the
 * file is kept). `--misses` also lists the tuning part's mistakes, to read while changing the
 * built-in words; the held-out part's are never listed.
 */
import { join, resolve } from 'node:path'
import { machine } from './machine.ts'
import { benchTags, tagsSection, writeTagsSection } from './tags-bench.ts'

const bench = benchTags()
const section = tagsSection(bench)
console.log(`Machine: ${machine()}\n\n${section}`)
if (process.argv.includes('--misses')) {
  for (const { comment, predicted } of bench.tuning.misses) {
    console.log(`${comment.id}: labelled ${comment.kind ?? 'none'} [${comment.topics.join(', ')}], got ${predicted.kind ?? 'none'} [${predicted.topics.join(', ')}]: ${comment.text}`)
  }
}
const out = join(resolve(import.meta.dirname, '..'), 'bench', 'RESULTS.md')
writeTagsSection(out, section)
console.log(`\nWritten to ${out}`)
