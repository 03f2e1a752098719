/**
 * Comment tags: a kind (problem, suggestion, praise) and topics (delivery, price, quality,
 * support, usability, and those a site adds), matched by words in 简体中文, 繁體中文 and
 * English, with negation. The parts live in `tags/`; docs/tags.md explains the rules.
 */
import { classifyComment } from './tags/classify.ts'
import { legacyDefaultTagRules, type TagRule } from './tags/rules.ts'

export { classifyComment, type CommentTags } from './tags/classify.ts'
export { builtInTopics, kinds, type Kind } from './tags/lexicon.ts'
export { isBuiltInTag, isKind, siteAdditions, tagRuleLimits, whenNegatedValues, type TagRule } from './tags/rules.ts'
export { wordKeys } from './tags/matcher.ts'

/**
 * The rules a new site's settings hold. They are the old default list, which the classifier
 * reads as adding nothing to the built-in words; the dashboard's tag list and the comment
 * filter still read them until tags are stored in a table of their own.
 */
export const defaultTagRules: TagRule[] = legacyDefaultTagRules

/** The tags a comment earns (its kind, then its topics); none for an empty comment. */
export function tagComment(comment: string | null | undefined, rules: readonly TagRule[] = defaultTagRules): string[] {
  return classifyComment(comment, rules).tags
}
