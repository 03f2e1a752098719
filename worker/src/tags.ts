/**
 * Comment tags: a kind (problem, suggestion, praise) and topics (delivery, price, quality,
 * support, usability, and those a site adds), matched by words in 简体中文, 繁體中文 and
 * English, with negation. The parts live in `tags/`; docs/tags.md explains the rules.
 */
export { classifyComment, type CommentTags } from './tags/classify.ts'
export { builtInTopics, kinds, type Kind } from './tags/lexicon.ts'
export { isBuiltInTag, isKind, siteAdditions, tagRuleLimits, whenNegatedValues, type TagRule } from './tags/rules.ts'
export { wordKeys } from './tags/matcher.ts'
export { TAG_LABELS } from './tags/labels.ts'
