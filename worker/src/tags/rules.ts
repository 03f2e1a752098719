/**
 * The rules a site writes (`settings.tagRules`), their limits, and how stored rules of the
 * substring era are read. A rule adds words to a kind or a built-in topic, or defines a topic
 * of the site's own; the built-in words always apply.
 */
import { builtInTopics, kinds, type Kind } from './lexicon.ts'
import type { WhenNegated } from './matcher.ts'

export interface TagRule {
  /** A kind (`problem`, `suggestion`, `praise`), a built-in topic, or a topic of the site's own. */
  tag: string
  /**
   * Words or short phrases in any of 简体, 繁體 and English, mixed freely: each matches as
   * whole words in its own script, 简体 and 繁體 alike, English with plurals, -ed and -ing.
   */
  keywords: string[]
  /**
   * What a negation just before a word does (within three words, same clause): `flip` turns
   * problem into praise and praise into problem, and drops a suggestion (the default for
   * kinds); `count` ignores it (the default for topics); `skip` drops the word; `only` counts
   * the word only when negated ("never arrived", 没收到).
   */
  whenNegated?: WhenNegated
}

export const whenNegatedValues: WhenNegated[] = ['flip', 'count', 'skip', 'only']

/**
 * Limits a site's rules must keep. Matching costs the same whatever the number of words (a
 * trie), so these bound what the settings row stores, the compile time once per isolate, and
 * the longest word, which bounds the work per character of a comment.
 */
export const tagRuleLimits = {
  rules: 50,
  keywordsPerRule: 100,
  keywords: 1000,
  keywordLength: 40,
  /** Chinese characters or other words in one keyword. */
  keywordUnits: 10,
  tagLength: 40,
}

export const isKind = (tag: string): tag is Kind => (kinds as readonly string[]).includes(tag)
export const isBuiltInTag = (tag: string): boolean => isKind(tag) || (builtInTopics as readonly string[]).includes(tag)

/**
 * The rules every site was given before words were matched as words. Stored settings still
 * hold them (a site row keeps its whole settings object), and the dashboard's tag list and
 * the comment filter read them until tags are stored; the classifier reads these exact words
 * as "no addition": the built-in words replace them.
 */
export const legacyDefaultTagRules: TagRule[] = [
  { tag: 'problem', keywords: ['broken', 'late', 'never arrived', 'wrong', 'bad', 'terrible', 'slow', 'problem', 'issue', 'refund', 'damaged', 'missing', 'error', '坏', '慢', '迟', '错', '差', '问题', '退款', '破损', '没收到', '失望'] },
  { tag: 'suggestion', keywords: ['should', 'could', 'would be nice', 'wish', 'please add', 'suggest', 'better if', 'feature', '建议', '希望', '能不能', '可以增加', '最好'] },
  { tag: 'praise', keywords: ['great', 'love', 'excellent', 'fast delivery', 'amazing', 'perfect', 'thank', 'happy', 'awesome', '好评', '很好', '满意', '喜欢', '棒', '谢谢', '赞', '很快', '速度快'] },
  { tag: 'delivery', keywords: ['deliver', 'shipping', 'shipped', 'parcel', 'package', 'courier', 'arrived', '物流', '快递', '配送', '发货', '送货', '包裹'] },
  { tag: 'price', keywords: ['price', 'expensive', 'cheap', 'cost', 'discount', 'coupon', '价格', '贵', '便宜', '优惠', '折扣'] },
  { tag: 'quality', keywords: ['quality', 'material', 'broke', 'durable', 'fabric', '质量', '做工', '材质', '耐用'] },
  { tag: 'support', keywords: ['support', 'agent', 'service', 'help', 'customer care', 'answer', '客服', '服务', '售后', '态度'] },
  { tag: 'usability', keywords: ['website', 'app', 'checkout', 'login', 'confusing', 'easy to use', 'hard to find', 'search', '网站', '页面', '操作', '登录', '结账', '找不到', '界面'] },
]

const legacyWords = new Map(legacyDefaultTagRules.map((rule) => [rule.tag, new Set(rule.keywords.map((keyword) => keyword.toLowerCase()))]))

/**
 * What a site's stored rules add to the built-in words: the words of the old default rules
 * are dropped (the built-in lexicon supersedes them), so a site that never edited its rules
 * adds nothing, and one that added "顺丰" to delivery keeps exactly that. Rules stored under
 * older, looser limits are read up to today's: the first 50 rules, 1,000 words in all, none
 * longer than 40 characters.
 */
export function siteAdditions(rules: readonly TagRule[]): TagRule[] {
  const additions: TagRule[] = []
  let room = tagRuleLimits.keywords
  for (const rule of rules.slice(0, tagRuleLimits.rules)) {
    const legacy = legacyWords.get(rule.tag)
    const keywords = rule.keywords
      .filter((keyword) => keyword.length <= tagRuleLimits.keywordLength && !legacy?.has(keyword.toLowerCase()))
      .slice(0, Math.min(room, tagRuleLimits.keywordsPerRule))
    room -= keywords.length
    if (keywords.length > 0) additions.push({ ...rule, keywords })
  }
  return additions
}
