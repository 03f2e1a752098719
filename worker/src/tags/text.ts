/**
 * Turns a comment into clauses of word units, the same way for a comment and for a rule's
 * word, so that matching compares like with like:
 * - words come from `Intl.Segmenter` (ICU's dictionary for Chinese, UAX #29 for the rest),
 *   so 出差, 差不多 and 不错 stay words of their own and "chocolate" never contains "late";
 * - a Chinese word is kept as its characters, each folded to Simplified (繁體 and 简体 match
 *   each other), with the word's edges marked: a rule word must start and end on an edge;
 * - an English word is lower-cased and lightly stemmed (delivered → deliver, boxes → box);
 * - punctuation and contrast words (but, 但是, 不過…) end a clause: negation and mixed
 *   feelings never reach across one.
 */
import { hantPairs } from './hant-table.ts'

/** One matchable piece: a folded Chinese character, or a whole stemmed non-Chinese word. */
export interface Unit {
  key: string
  /** A rule word may begin here (a word's first character, or after a peeled prefix). */
  start: boolean
  /** A rule word may end here (a word's last character, or before a trailing particle). */
  end: boolean
  /** Index of the word in its clause, for the negation window. */
  word: number
}

export type Clause = Unit[]

let hantFold: Map<string, string> | undefined

/** 繁體 (and Taiwan / Hong Kong variant) characters to 简体; others unchanged. */
function foldHan(char: string): string {
  if (!hantFold) {
    hantFold = new Map()
    const chars = Array.from(hantPairs)
    for (let i = 0; i + 1 < chars.length; i += 2) hantFold.set(chars[i]!, chars[i + 1]!)
  }
  return hantFold.get(char) ?? char
}

/**
 * A light English stemmer, applied alike to comments and rule words: plurals, -ed, -ing and
 * a final e (arrive, arrived, arriving → arriv). Comparatives and -ly are kept, so "late" does
 * not reach "lately" and "happier" stays a word of its own.
 */
export function stem(word: string): string {
  if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word
  let w = word
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`
  else if (w.endsWith('sses')) w = w.slice(0, -2)
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1)
  if (w.endsWith('ied') && w.length > 4) w = `${w.slice(0, -3)}y`
  else if (w.endsWith('eed')) return w
  else if (w.endsWith('ed') && w.length > 4) w = undouble(w.slice(0, -2))
  else if (w.endsWith('ing') && w.length > 5) w = undouble(w.slice(0, -3))
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1)
  return w
}

const undouble = (w: string): string => (/([b-df-hj-np-rtv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w) ? w.slice(0, -1) : w)

/** CJK ideographs (the common blocks, extension A, compatibility, and the high surrogates of extensions B–F). */
const isHan = (code: number): boolean =>
  (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xd840 && code <= 0xd87e)
/** Punctuation that ends a clause; spaces, hyphens and slashes do not. */
const clauseBreak = new Set(Array.from('.!?;:,，。！？；：、…\n~～()（）「」『』【】"“”'))
const pictograph = /\p{Extended_Pictographic}/u
/** Degree words fused to the front of a Chinese word (很快, 太贵): the rest may match alone. */
const degreePrefix = new Set(['很', '太', '挺', '超', '蛮', '真', '好', '更'])
/** Negations and linking words fused to the front (不耐用, 都没, 还收, 才到): both parts may match. */
const splitPrefix = new Set(['不', '没', '无', '未', '还', '都', '也', '就', '才'])
/** Degree words that are words of their own even when fused (太高: "too" + high, 不太好: "not very" + good). */
const standsAlone = new Set(['太'])

/**
 * How many leading characters of a Chinese word are fused prefixes, each a word of its own:
 * a negation, linking or degree word (不耐用, 很快), and after it a second degree word
 * (不太好, 都很好): the rest may match alone, and 不太 still matches as a negation.
 */
function prefixes(chars: string[]): number {
  if (chars.length < 2 || !(splitPrefix.has(chars[0]!) || degreePrefix.has(chars[0]!))) return 0
  return chars.length > 2 && degreePrefix.has(chars[1]!) ? 2 : 1
}

/** Particles fused to the end of a Chinese word (贵了, 慢啊): the word may end before them. */
const particles = new Set(['了', '的', '啊', '呀', '啦', '吧', '呢', '吗', '哦', '喔', '耶', '噢', '嘛', '咯', '啰', '哈'])
/** Contrast words that start a new clause (mixed feelings sit on either side). */
const contrast = new Set(['but', 'however', 'although', 'though', 'except', 'whereas', '但', '但是', '可是', '不过', '只是', '就是', '虽然', '然而', '可惜', '结果', '却', '还好'])

/**
 * English words too slight to use up a negation's reach: "can't say the support was good"
 * negates "good" as "can't say it was good" does. They are still matched as words.
 */
const slight = new Set(['the', 'a', 'an', 'my', 'your', 'our', 'their', 'his', 'her', 'it', 'its', 'is', 'was', 'were', 'are', 'be', 'been'])

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' })

const breaksClause = (segment: string): boolean => {
  for (const char of segment) if (clauseBreak.has(char)) return true
  return false
}

/**
 * The comment as clauses of units. Linear in its length: one segmenter pass (one ICU call
 * for the whole comment: a call per run costs more than the run), one fold per character.
 */
export function toClauses(text: string): Clause[] {
  const clauses: Clause[] = []
  let units: Unit[] = []
  let word = 0
  const close = () => {
    if (units.length > 0) clauses.push(units)
    units = []
    word = 0
  }
  const normalized = text.normalize('NFKC').toLowerCase().replace(/[‘’`´]/g, "'")
  for (const { segment, isWordLike } of segmenter.segment(normalized)) {
    if (!isWordLike) {
      if (breaksClause(segment)) close()
      else if (segment.charCodeAt(0) > 0x2000 && pictograph.test(segment)) {
        units.push({ key: segment.replace(/[\uFE0F\u{1F3FB}-\u{1F3FF}]/gu, ''), start: true, end: true, word: word++ })
      }
      continue
    }
    if (!isHan(segment.charCodeAt(0))) {
      if (contrast.has(segment)) close()
      else units.push({ key: stem(segment), start: true, end: true, word: slight.has(segment) ? word : word++ })
      continue
    }
    const chars: string[] = []
    for (const char of segment) chars.push(foldHan(char))
    const last = chars.length - 1
    if (last <= 1 && contrast.has(last === 0 ? chars[0]! : chars[0]! + chars[1]!)) {
      close()
      continue
    }
    let bodyEnd = last
    while (bodyEnd > 0 && particles.has(chars[bodyEnd]!)) bodyEnd--
    const peeled = prefixes(chars)
    for (let i = 0; i <= last; i++) {
      units.push({
        key: chars[i]!,
        start: i <= peeled,
        end: i === last || i === bodyEnd || (i < peeled && (splitPrefix.has(chars[0]!) || standsAlone.has(chars[i]!))),
        word: word + Math.min(i, peeled),
      })
    }
    word += peeled + 1
  }
  close()
  return clauses
}
