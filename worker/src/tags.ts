/**
 * Tags for comments by keyword rules, in English and Chinese: a kind (problem, suggestion,
 * praise) and topics (delivery, price, …). Operators replace the rules per site
 * (`settings.tagRules`); these are the defaults. Matching is case-insensitive substring
 * matching, which suits Chinese (no spaces between words) and English stems alike.
 */
export interface TagRule {
  tag: string
  keywords: string[]
}

export const defaultTagRules: TagRule[] = [
  { tag: 'problem', keywords: ['broken', 'late', 'never arrived', 'wrong', 'bad', 'terrible', 'slow', 'problem', 'issue', 'refund', 'damaged', 'missing', 'error', '坏', '慢', '迟', '错', '差', '问题', '退款', '破损', '没收到', '失望'] },
  { tag: 'suggestion', keywords: ['should', 'could', 'would be nice', 'wish', 'please add', 'suggest', 'better if', 'feature', '建议', '希望', '能不能', '可以增加', '最好'] },
  { tag: 'praise', keywords: ['great', 'love', 'excellent', 'fast delivery', 'amazing', 'perfect', 'thank', 'happy', 'awesome', '好评', '很好', '满意', '喜欢', '棒', '谢谢', '赞', '很快', '速度快'] },
  { tag: 'delivery', keywords: ['deliver', 'shipping', 'shipped', 'parcel', 'package', 'courier', 'arrived', '物流', '快递', '配送', '发货', '送货', '包裹'] },
  { tag: 'price', keywords: ['price', 'expensive', 'cheap', 'cost', 'discount', 'coupon', '价格', '贵', '便宜', '优惠', '折扣'] },
  { tag: 'quality', keywords: ['quality', 'material', 'broke', 'durable', 'fabric', '质量', '做工', '材质', '耐用'] },
  { tag: 'support', keywords: ['support', 'agent', 'service', 'help', 'customer care', 'answer', '客服', '服务', '售后', '态度'] },
  { tag: 'usability', keywords: ['website', 'app', 'checkout', 'login', 'confusing', 'easy to use', 'hard to find', 'search', '网站', '页面', '操作', '登录', '结账', '找不到', '界面'] },
]

/** The tags a comment earns, in rule order; none for an empty comment. */
export function tagComment(comment: string | null | undefined, rules: TagRule[] = defaultTagRules): string[] {
  if (!comment) return []
  const text = comment.toLowerCase()
  return rules.filter((rule) => rule.keywords.some((keyword) => text.includes(keyword.toLowerCase()))).map((rule) => rule.tag)
}
