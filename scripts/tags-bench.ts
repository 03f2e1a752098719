/**
 * The comment classifier on its evaluation set (worker/test/tags-eval): kind accuracy and
 * per-tag precision and recall, on the whole set and on its held-out quarter; and its cost
 * per comment as a ratio of a plain `toLowerCase()` pass over the same text, measured in the
 * same run (Node's V8 and ICU; inside workerd a clock does not move during a request).
 * Written as a marked section of bench/RESULTS.md by `npm run bench:tags` and `npm run bench`.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { classifyComment } from '../worker/src/tags/classify.ts'
import { legacyDefaultTagRules, tagRuleLimits, type TagRule } from '../worker/src/tags/rules.ts'
import { evalSet, splitEvalSet, type LabelledComment } from '../worker/test/tags-eval/eval-set.ts'
import { score, type Score } from '../worker/test/tags-eval/score.ts'

export interface CostRow {
  name: string
  chars: number
  classifyUs: number
  lowerCaseUs: number
  /** Intl.Segmenter's word pass alone: the part no matcher on top of it can avoid. */
  segmenterUs: number
  substringUs: number
}

export interface TagsBench {
  all: Score
  tuning: Score
  heldOut: Score
  costs: CostRow[]
  /** Per-character cost of a 2,000-character comment over that of its first 200 characters, repeated. */
  linearity: number
  /** A 2,000-character comment with a site's rules at every limit, over the built-in words alone. */
  fullRulesRatio: number
  compileMs: number
}

let sink = 0
const ROUNDS = 9

/**
 * This thread's CPU time in ms: unlike the wall clock it does not run on while the scheduler
 * gives the core to another process, which on a shared machine is most of the noise.
 */
const cpuMs = (): number => {
  const { user, system } = process.threadCpuUsage()
  return (user + system) / 1000
}

/** Median over rounds of the CPU time per call, each round running the call for about `budgetMs`. */
function timeEach(calls: Record<string, () => unknown>, budgetMs = 100): Record<string, number> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(calls).map((name) => [name, []]))
  for (const call of Object.values(calls)) for (let i = 0; i < 200; i++) sink += String(call()).length
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, call] of Object.entries(calls)) {
      let runs = 0
      const started = cpuMs()
      let elapsed = 0
      while (elapsed < budgetMs) {
        for (let i = 0; i < 20; i++) sink += String(call()).length
        runs += 20
        elapsed = cpuMs() - started
      }
      samples[name]!.push((elapsed * 1000) / runs)
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, times]) => [name, times.sort((a, b) => a - b)[ROUNDS >> 1]!]))
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' })
const segmentOnly = (text: string): number => {
  let words = 0
  for (const { isWordLike } of segmenter.segment(text)) if (isWordLike) words++
  return words
}

/** What tagging cost before: one case-insensitive substring search per keyword of the old default rules. */
const substringTags = (text: string): string[] => {
  const lower = text.toLowerCase()
  return legacyDefaultTagRules.filter((rule) => rule.keywords.some((keyword) => lower.includes(keyword.toLowerCase()))).map((rule) => rule.tag)
}

/** Real comments of one language joined until the text is `chars` long: a long comment with many clauses. */
const longComment = (comments: LabelledComment[], chars: number): string => {
  let text = ''
  for (let i = 0; text.length < chars; i++) text += `${comments[i % comments.length]!.text} `
  return text.slice(0, chars)
}

/** A site's rules at every limit: 50 rules, 1,000 words, 100 of them phrases of 4 words. */
const fullRules = (): TagRule[] =>
  Array.from({ length: tagRuleLimits.rules }, (_, rule) => ({
    tag: `site-topic-${rule}`,
    keywords: Array.from({ length: tagRuleLimits.keywords / tagRuleLimits.rules }, (_, word) =>
      word % 10 === 0 ? `alpha${rule} beta${word} gamma delta` : rule % 2 ? `词${rule}语${word}` : `word${rule}x${word}`,
    ),
  }))

export function benchTags(): TagsBench {
  const classify = (text: string) => classifyComment(text)
  const { tuning, heldOut } = splitEvalSet()
  const byLang = (lang: LabelledComment['lang']) => evalSet.filter((comment) => comment.lang === lang)
  const texts: [string, string][] = [
    ['evaluation set, one comment at a time (mean)', ''],
    ['2,000 characters of 简体 comments', longComment(byLang('zh-CN'), 2000)],
    ['2,000 characters of 繁體 comments', longComment(byLang('zh-TW'), 2000)],
    ['2,000 characters of English comments', longComment(byLang('en'), 2000)],
    ['2,000 characters, one clause of 差', '差'.repeat(2000)],
    ['2,000 characters, one clause of "not bad"', 'not bad '.repeat(250)],
  ]
  const costs: CostRow[] = texts.map(([name, text]) => {
    const batch = text ? [text] : evalSet.map((comment) => comment.text)
    const each = (fn: (text: string) => unknown) => () => batch.map(fn)
    const times = timeEach({ classify: each(classify), lowerCase: each((t) => t.toLowerCase()), segmenter: each(segmentOnly), substring: each(substringTags) })
    return {
      name,
      chars: Math.round(batch.reduce((total, t) => total + t.length, 0) / batch.length),
      classifyUs: times.classify! / batch.length,
      lowerCaseUs: times.lowerCase! / batch.length,
      segmenterUs: times.segmenter! / batch.length,
      substringUs: times.substring! / batch.length,
    }
  })

  // The same 200 characters ten times over: a per-character difference is the matcher's, not the text's.
  const short = longComment(byLang('zh-CN'), 200)
  const long = short.repeat(10)
  const rules = fullRules()
  const compileStarted = cpuMs()
  classifyComment('x', rules)
  const compileMs = cpuMs() - compileStarted
  const scale = timeEach({ long: () => classify(long), short: () => classify(short), full: () => classifyComment(long, rules) })

  return {
    all: score(evalSet, classify),
    tuning: score(tuning, classify),
    heldOut: score(heldOut, classify),
    costs,
    linearity: scale.long! / 2000 / (scale.short! / 200),
    fullRulesRatio: scale.full! / scale.long!,
    compileMs,
  }
}

const pct = (value: number) => `${(value * 100).toFixed(1)} %`

export const TAGS_START = '<!-- tags:start (written by npm run bench:tags) -->'
export const TAGS_END = '<!-- tags:end -->'

export function tagsSection(bench: TagsBench): string {
  const { all, tuning, heldOut } = bench
  const tagRows = all.tags
    .map((tag, i) => {
      const held = heldOut.tags[i]!
      return `| ${tag.tag} | ${tag.labelled} | ${pct(tag.precision)} | ${pct(tag.recall)} | ${held.labelled} | ${pct(held.precision)} | ${pct(held.recall)} |`
    })
    .join('\n')
  const costRows = bench.costs
    .map(
      (row) =>
        `| ${row.name} | ${row.chars} | ${row.classifyUs.toFixed(1)} | ${(row.classifyUs / row.lowerCaseUs).toFixed(0)}× | ${(row.classifyUs / row.segmenterUs).toFixed(1)}× | ${(row.classifyUs / row.substringUs).toFixed(1)}× |`,
    )
    .join('\n')
  const topicsMeet = all.tags.filter((tag) => !['problem', 'suggestion', 'praise'].includes(tag.tag)).every((tag) => tag.precision >= 0.85)
  return `${TAGS_START}
## Comment tags

The classifier of \`worker/src/tags/\` on the evaluation set \`worker/test/tags-eval/comments.json\`
(${all.comments} comments: ${evalSet.filter((c) => c.lang === 'zh-CN').length} 简体, ${evalSet.filter((c) => c.lang === 'zh-TW').length} 繁體, ${evalSet.filter((c) => c.lang === 'en').length} English; labelling rules in its README).
The held-out quarter (${heldOut.comments} comments, a seeded shuffle) was never tuned on.

- Kind accuracy: **${pct(all.kindAccuracy)}** on all, ${pct(tuning.kindAccuracy)} on the tuned part, **${pct(heldOut.kindAccuracy)}** held out (goal ≥ 90 %, ${all.kindAccuracy >= 0.9 && heldOut.kindAccuracy >= 0.9 ? 'meets the goal' : '**misses the goal**'}).
- Topic precision ≥ 85 % for every topic: ${topicsMeet ? 'meets the goal' : '**misses the goal**'}.

| tag | labelled | precision | recall | held-out labelled | held-out precision | held-out recall |
|---|---:|---:|---:|---:|---:|---:|
${tagRows}

CPU time per comment in Node ${process.version} (same V8 and ICU as workerd, whose clock stands
still during a request), median of ${ROUNDS} rounds, against two baselines timed in the same run over
the same text: a plain \`toLowerCase()\` pass, \`Intl.Segmenter\`'s word pass alone (which any
word matcher pays), and the substring matching it replaces.

| comment | chars | µs per comment | / toLowerCase | / segmenter alone | / old substring tags |
|---|---:|---:|---:|---:|---:|
${costRows}

Per character, 200 characters of 简体 comments repeated ten times cost ${bench.linearity.toFixed(2)}× the 200
alone (linear: 1.00×). With a site's rules at every limit (50 rules, 1,000 words) it costs
${bench.fullRulesRatio.toFixed(2)}× the built-in words alone; compiling those rules takes
${bench.compileMs.toFixed(1)} ms, once per rules object.
${TAGS_END}`
}

/** Replaces the section between `startMarker` and `endMarker` of a results file, or appends it. */
export function writeMarkedSection(path: string, startMarker: string, endMarker: string, section: string): void {
  let current = ''
  try {
    current = readFileSync(path, 'utf8')
  } catch {
    current = '# Benchmark results\n'
  }
  const start = current.indexOf(startMarker)
  const end = current.indexOf(endMarker)
  const next = start >= 0 && end > start ? current.slice(0, start) + section + current.slice(end + endMarker.length) : `${current.trimEnd()}\n\n${section}\n`
  writeFileSync(path, next)
}

/** Replaces the tags section of a results file, or appends it. */
export const writeTagsSection = (path: string, section: string): void => writeMarkedSection(path, TAGS_START, TAGS_END, section)

