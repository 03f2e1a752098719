/**
 * classifyComment: a comment's kind (problem, suggestion, praise, or none) and topics, from
 * the built-in words plus a site's rules. Pure and linear in the comment's length.
 *
 * Each clause sums the evidence of its words, a negation shortly before a word changing what
 * the word counts for. The kind is then the first that applies of:
 * - problem: a clause whose problem weight reaches 2 and is at least its praise weight, or
 *   lighter problem evidence ("still", 问题, 一直) that outweighs all praise and comes with no
 *   request;
 * - suggestion: any request;
 * - praise: any praise;
 * - none.
 * That order is the labelling rule of the evaluation set: a manager acts on a problem first.
 */
import { builtInGroups, builtInTopics, intensifiers, negations, shields, wordList, type Kind } from './lexicon.ts'
import { addWord, newTrie, scan, wordKeys, type Evidence, type Match, type Trie } from './matcher.ts'
import { isKind, siteAdditions, tagRuleLimits, type TagRule } from './rules.ts'
import { toClauses, type Clause } from './text.ts'

export interface CommentTags {
  kind: Kind | null
  /** Built-in topics first, in their fixed order, then the site's, in rule order. */
  topics: string[]
  /** The kind (if any) followed by the topics: what a listing shows and a filter matches. */
  tags: string[]
}

/** How many words after a negation it still reaches: "not very helpful", 没有任何问题. */
const NEGATION_REACH = 3

interface Compiled {
  kinds: Trie
  topics: Trie
  topicOrder: string[]
}

function compile(rules: readonly TagRule[]): Compiled {
  const compiled: Compiled = { kinds: newTrie(), topics: newTrie(), topicOrder: [...builtInTopics] }
  for (const trie of [compiled.kinds, compiled.topics]) {
    for (const word of wordList(negations)) addWord(trie, wordKeys(word)!, { negates: true })
    for (const word of wordList(shields)) addWord(trie, wordKeys(word)!, {})
  }
  for (const word of wordList(intensifiers)) addWord(compiled.kinds, wordKeys(word)!, { intensifies: true })
  const add = (tag: string, words: string[], weight: number, whenNegated: Evidence['whenNegated'] | undefined) => {
    const kind = isKind(tag)
    const evidence: Evidence = { tag, weight, whenNegated: whenNegated ?? (kind ? 'flip' : 'count') }
    if (!kind && !compiled.topicOrder.includes(tag)) compiled.topicOrder.push(tag)
    for (const word of words) {
      const keys = wordKeys(word)
      if (keys && keys.length <= tagRuleLimits.keywordUnits) addWord(kind ? compiled.kinds : compiled.topics, keys, { evidence })
    }
  }
  for (const group of builtInGroups) add(group.tag, wordList(group.words), group.weight ?? 2, group.whenNegated)
  for (const rule of siteAdditions(rules)) add(rule.tag, rule.keywords, 2, rule.whenNegated)
  return compiled
}

const compiledRules = new WeakMap<readonly TagRule[], Compiled>()
const builtInOnly: readonly TagRule[] = []

/** Compiled once per rules array (a site's settings object lives as long as its cache entry). */
function compiled(rules: readonly TagRule[]): Compiled {
  let found = compiledRules.get(rules)
  if (!found) compiledRules.set(rules, (found = compile(rules)))
  return found
}

/** What an intensifier weighs: "too high", 运费太高 are problems as surely as "expensive". */
const INTENSIFIED_WEIGHT = 2

/**
 * Calls `count` with each tag the matches stand for after negation, and its weight. An
 * intensifier ("too", 太, 过于) followed by a word of the clause makes that word a problem
 * ("too high", 太咸), unless the word is evidence of its own ("too good", 太好了, "too
 * expensive"): too much of something is a complaint. Negated ("not too long"), it is mild praise.
 */
function tally(clause: Clause, matches: Match[], count: (tag: string, weight: number) => void): void {
  let negatedUpTo = -1
  let negationEnd = -1
  const lastWord = clause[clause.length - 1]!.word
  matches.forEach((match, index) => {
    const negated = match.from > negationEnd && match.firstWord <= negatedUpTo
    if (match.meaning.negates) {
      negatedUpTo = match.lastWord + NEGATION_REACH
      negationEnd = match.to
    }
    if (match.meaning.intensifies && match.lastWord < lastWord) {
      const next = matches[index + 1]
      const judged = next !== undefined && next.firstWord === match.lastWord + 1 && next.meaning.evidence.length > 0
      if (!judged) count(negated ? 'praise' : 'problem', negated ? 1 : INTENSIFIED_WEIGHT)
    }
    for (const { tag, weight, whenNegated } of match.meaning.evidence) {
      if (!negated) {
        if (whenNegated !== 'only') count(tag, weight)
      } else if (whenNegated === 'count' || whenNegated === 'only') count(tag, weight)
      else if (whenNegated === 'flip' && tag === 'problem') count('praise', weight)
      else if (whenNegated === 'flip' && tag === 'praise') count('problem', weight)
    }
  })
}

/** The kind and topics of a comment; nothing for an empty one. `rules` are a site's additions. */
export function classifyComment(text: string | null | undefined, rules: readonly TagRule[] = builtInOnly): CommentTags {
  if (!text) return { kind: null, topics: [], tags: [] }
  const { kinds, topics, topicOrder } = compiled(rules)
  const found = new Set<string>()
  let strongProblem = false
  let problem = 0
  let praise = 0
  let suggestion = 0
  const weights: Record<Kind, number> = { problem: 0, praise: 0, suggestion: 0 }
  const weigh = (tag: string, weight: number) => (weights[tag as Kind] += weight)
  const note = (tag: string) => found.add(tag)
  for (const clause of toClauses(text)) {
    weights.problem = weights.praise = weights.suggestion = 0
    tally(clause, scan(kinds, clause), weigh)
    if (weights.problem >= 2 && weights.problem >= weights.praise) strongProblem = true
    problem += weights.problem
    praise += weights.praise
    suggestion += weights.suggestion
    tally(clause, scan(topics, clause), note)
  }
  const kind: Kind | null =
    strongProblem || (problem > praise && suggestion === 0) ? 'problem' : suggestion > 0 ? 'suggestion' : praise > 0 ? 'praise' : null
  const topicTags = topicOrder.filter((topic) => found.has(topic))
  return { kind, topics: topicTags, tags: kind ? [kind, ...topicTags] : topicTags }
}
