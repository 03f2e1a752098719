/**
 * A trie of words (as unit keys, see text.ts) and a longest-match scan over a clause. Each
 * position is tried once and a match is at most as long as the longest word, so a scan costs
 * O(units × longest word) whatever the number of words.
 */
import { toClauses, type Clause } from './text.ts'

/** What happens to a word's evidence when a negation stands shortly before it. */
export type WhenNegated = 'flip' | 'count' | 'skip' | 'only'

export interface Evidence {
  tag: string
  weight: number
  whenNegated: WhenNegated
}

/**
 * What a word in the trie stands for: evidence, a negation, an intensifier ("too", 太: what
 * follows is too much of it), or nothing (a word that only shields its parts).
 */
export interface Meaning {
  evidence: Evidence[]
  negates: boolean
  intensifies: boolean
}

interface Node {
  next: Map<string, Node>
  meaning?: Meaning
}

export interface Trie {
  root: Node
}

export interface Match {
  meaning: Meaning
  /** First and last unit of the match in its clause. */
  from: number
  to: number
  /** Word index of the first and last unit. */
  firstWord: number
  lastWord: number
}

export const newTrie = (): Trie => ({ root: { next: new Map() } })

/** The unit keys of a word or phrase, or undefined when it is not one clause of words. */
export function wordKeys(word: string): string[] | undefined {
  const clauses = toClauses(word)
  return clauses.length === 1 ? clauses[0]!.map((unit) => unit.key) : undefined
}

/** Adds a word with what it means; meanings of the same word merge. */
export function addWord(trie: Trie, keys: string[], add: { evidence?: Evidence; negates?: boolean; intensifies?: boolean }): void {
  let node = trie.root
  for (const key of keys) {
    let next = node.next.get(key)
    if (!next) node.next.set(key, (next = { next: new Map() }))
    node = next
  }
  node.meaning ??= { evidence: [], negates: false, intensifies: false }
  const { evidence } = add
  if (evidence) {
    // A word listed twice (love, loved: one stem) counts once, at its higher weight. Evidence
    // objects are shared by all words of a group: replace, never change one.
    const list = node.meaning.evidence
    const same = list.findIndex((known) => known.tag === evidence.tag && known.whenNegated === evidence.whenNegated)
    if (same < 0) list.push(evidence)
    else if (evidence.weight > list[same]!.weight) list[same] = evidence
  }
  if (add.negates) node.meaning.negates = true
  if (add.intensifies) node.meaning.intensifies = true
}

/** Longest matches, left to right; a matched stretch is not matched again by shorter words inside it. */
export function scan(trie: Trie, clause: Clause): Match[] {
  const matches: Match[] = []
  let at = 0
  while (at < clause.length) {
    let best: Match | undefined
    if (clause[at]!.start) {
      let node: Node | undefined = trie.root
      for (let i = at; i < clause.length; i++) {
        node = node.next.get(clause[i]!.key)
        if (!node) break
        if (node.meaning && clause[i]!.end) {
          best = { meaning: node.meaning, from: at, to: i, firstWord: clause[at]!.word, lastWord: clause[i]!.word }
        }
      }
    }
    if (best) {
      matches.push(best)
      at = best.to + 1
    } else at++
  }
  return matches
}
