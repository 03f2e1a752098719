import type { builtInTopics, Kind } from './lexicon.ts'

/** A built-in tag's name: a kind or one of the built-in topics. */
type BuiltInTag = Kind | (typeof builtInTopics)[number]

/**
 * The built-in tags (kinds and topics) in Chinese, as the dashboard and the digests name them; in
 * English, and for a site's own tags, the tag is its own name.
 */
export const TAG_LABELS: Readonly<Record<'zh-CN' | 'zh-TW', Readonly<Record<string, string>>>> = {
  'zh-CN': { problem: '问题', suggestion: '建议', praise: '表扬', delivery: '物流', price: '价格', quality: '质量', support: '客服', usability: '易用性' },
  'zh-TW': { problem: '問題', suggestion: '建議', praise: '表揚', delivery: '物流', price: '價格', quality: '品質', support: '客服', usability: '易用性' },
} satisfies Record<'zh-CN' | 'zh-TW', Record<BuiltInTag, string>>
