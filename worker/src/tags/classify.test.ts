import { describe, expect, it } from 'vitest'
import { classifyComment } from './classify.ts'
import type { Kind } from './lexicon.ts'
import { legacyDefaultTagRules, type TagRule } from './rules.ts'

type Row = [comment: string, kind: Kind | null, topics: string[]]

const expectTags = ([comment, kind, topics]: Row, rules?: TagRule[]) => {
  const tags = classifyComment(comment, rules)
  expect({ kind: tags.kind, topics: tags.topics }).toEqual({ kind, topics })
  expect(tags.tags).toEqual(kind ? [kind, ...topics] : topics)
}

// The substring matcher's failures named in issue 17, and their kin in each language.
describe('look-alike words are not the words they contain', () => {
  it.each<Row>([
    ['The chocolate was delicious', 'praise', ['quality']],
    ['Chocolate box arrived on time', 'praise', ['delivery']],
    ['So happy with it', 'praise', []],
    ['Appreciate it!', 'praise', []],
    ['Love the badge', 'praise', []],
    ['My shoulder bag is great', 'praise', []],
    ['The shoulder strap snapped', 'problem', ['quality']],
    ['Love my slow cooker', 'praise', []],
    ['The latest update is great', 'praise', ['usability']],
    ['You should add Apple Pay', 'suggestion', ['usability']],
  ])('en: %s', (...row) => expectTags(row))

  it.each<Row>([
    ['质量不错', 'praise', ['quality']],
    ['差不多吧', null, []],
    ['出差刚回来，东西收到了', null, []],
    ['服务态度差', 'problem', ['support']],
    ['衣服有色差', 'problem', ['quality']],
    ['主动退了差价，很贴心', 'praise', ['price', 'support']],
    ['很失望', 'problem', []],
    ['希望多出几个颜色', 'suggestion', []],
    ['好不容易才打通客服电话', 'problem', ['support']],
    ['包装破损，退货流程很麻烦', 'problem', ['delivery', 'support']],
  ])('zh-CN: %s', (...row) => expectTags(row))

  it.each<Row>([
    ['品質不錯', 'praise', ['quality']],
    ['質量不錯', 'praise', ['quality']],
    ['差不多啦，普通', null, []],
    ['我出差回來才去領包裹，東西都好好的', 'praise', ['delivery']],
    ['有色差，跟照片差很多', 'problem', ['quality']],
    ['很失望', 'problem', []],
    ['希望可以指定送貨時段', 'suggestion', ['delivery']],
    ['包裝破損，退貨流程很麻煩', 'problem', ['delivery', 'support']],
  ])('zh-TW: %s', (...row) => expectTags(row))
})

describe('negation within a few words turns the feeling', () => {
  it.each<Row>([
    ['No problem at all', 'praise', []],
    ['Not bad', 'praise', []],
    ['No issues with the delivery', 'praise', ['delivery']],
    ["Couldn't be happier", 'praise', []],
    ['Could not be happier', 'praise', []],
    ['Never looked better', 'praise', []],
    ['No complaints', 'praise', []],
    ['Not happy', 'problem', []],
    ['Not very helpful', 'problem', ['support']],
    ["Wasn't impressed", 'problem', []],
    ['Never arrived', 'problem', ['delivery']],
    ["I didn't receive my parcel", 'problem', ['delivery']],
    ['Nobody answered the phone', 'problem', ['support']],
    ['The parcel arrived', null, ['delivery']],
    ['I did not expect the parcel to be this fast', 'praise', ['delivery']],
  ])('en: %s', (...row) => expectTags(row))

  it.each<Row>([
    ['不太满意', 'problem', []],
    ['没有任何问题', 'praise', []],
    ['质量不差', 'praise', ['quality']],
    ['客服一点也不敷衍', 'praise', ['support']],
    ['包装很好，一点都没压坏', 'praise', ['delivery']],
    ['还没收到货', 'problem', []],
    ['不太专业', 'problem', ['support']],
    ['没想到这么快就到了', 'praise', ['delivery']],
    ['不到一天就送到了，很快', 'praise', ['delivery']],
    ['电池不耐用', 'problem', ['quality']],
  ])('zh-CN: %s', (...row) => expectTags(row))

  it.each<Row>([
    ['不太滿意', 'problem', []],
    ['沒有任何問題', 'praise', []],
    ['送貨準時，沒有任何問題', 'praise', ['delivery']],
    ['還沒收到貨', 'problem', []],
    ['沒想到這麼快就到了', 'praise', ['delivery']],
    ['電話一直打不通', 'problem', ['support']],
    ['CP值不高', 'problem', ['price']],
    ['CP值超高', 'praise', ['price']],
  ])('zh-TW: %s', (...row) => expectTags(row))
})

// Everyday wording an outside reviewer found misread (issue 17's follow-up), and their kin.
describe('degree, contrast and repetition as customers use them', () => {
  it.each<Row>([
    ['The price is too high', 'problem', ['price']],
    ['Delivery took too long', 'problem', ['delivery']],
    ['Way too many steps to check out', 'problem', ['usability']],
    ['Not too long a wait, thanks', 'praise', []],
    ['It was too good to be true', 'praise', []],
    ['Me too, love it', 'praise', []],
    ["I can't say the support was good", 'problem', ['support']],
    ["I wouldn't say it was worth it", 'problem', ['price']],
    ['Not bad, but the lid cracked', 'problem', ['quality']],
    ['Not only fast but also well packed', 'praise', ['delivery']],
    ['The agent sounded impatient', 'problem', ['support']],
    ['I had to email them three times', 'problem', ['support']],
    ['Ordered three times, always great', 'praise', []],
    ['The site is hardly usable', 'problem', ['usability']],
    ['The app keeps crashing on my phone', 'problem', ['usability']],
  ])('en: %s', (...row) => expectTags(row))

  it.each<Row>([
    ['运费太高', 'problem', ['delivery', 'price']],
    ['价格太高了', 'problem', ['price']],
    ['物流太快了，惊喜', 'praise', ['delivery']],
    ['不太好', 'problem', []],
    ['客服有点不耐烦', 'problem', ['support']],
    ['不但便宜，还很好用', 'praise', ['price']],
    ['打了好几次电话才有人接', 'problem', ['support']],
    ['等了一个月才到', 'problem', ['delivery']],
    ['太阳能灯很好用', 'praise', []],
  ])('zh-CN: %s', (...row) => expectTags(row))

  it.each<Row>([
    ['運費太高了', 'problem', ['delivery', 'price']],
    ['客服很不耐煩', 'problem', ['support']],
    ['不僅出貨快，包裝也很好', 'praise', ['delivery']],
    ['等了三個禮拜才到', 'problem', ['delivery']],
    ['東西不太好', 'problem', []],
  ])('zh-TW: %s', (...row) => expectTags(row))
})

describe('clauses keep mixed feelings apart', () => {
  it.each<Row>([
    ['Not bad, but the delivery was late', 'problem', ['delivery']],
    ['Great product but the box was crushed', 'problem', ['delivery', 'quality']],
    ['Not cheap, but worth every penny', 'praise', ['price']],
    ['Great app, please add dark mode', 'suggestion', ['usability']],
    ['The agent solved my problem in five minutes', 'praise', ['support']],
    ['The agent was kind but the issue is still there', 'problem', ['support']],
    ['东西很好，就是物流太慢', 'problem', ['delivery']],
    ['尺码偏小，建议买大一号', 'problem', ['quality']],
    ['问题很快就解决了，谢谢', 'praise', ['support']],
    ['東西很好，但是物流太慢', 'problem', ['delivery']],
    ['雖然晚了一點，但是包裝得很好', 'problem', ['delivery']],
  ])('%s', (...row) => expectTags(row))
})

describe('word forms and scripts', () => {
  it.each<Row>([
    ['Deliveries are always on time', 'praise', ['delivery']],
    ['It was delivered and shipped fast', 'praise', ['delivery']],
    ['FAST SHIPPING!!!', 'praise', ['delivery']],
    ['ＦＡＳＴ ｓｈｉｐｐｉｎｇ', 'praise', ['delivery']],
    ['App闪退，登录不了', 'problem', ['usability']],
    ['love it 😍', 'praise', []],
    ['👍👍👍', 'praise', []],
  ])('%s', (...row) => expectTags(row))

  it.each([
    ['包装破损，退货流程很麻烦', '包裝破損，退貨流程很麻煩'],
    ['没有任何问题，发货很快', '沒有任何問題，發貨很快'],
    ['这个网站结账太复杂了', '這個網站結帳太複雜了'],
    ['客服回复很慢，态度也不好', '客服回覆很慢，態度也不好'],
    ['价格实惠，质量也很好', '價格實惠，質量也很好'],
  ])('简体 %s and 繁體 %s get the same tags', (simplified, traditional) => {
    expect(classifyComment(traditional).tags).toEqual(classifyComment(simplified).tags)
    expect(classifyComment(simplified).tags.length).toBeGreaterThan(1)
  })

  it('tags nothing without a comment', () => {
    for (const empty of [null, undefined, '', '   ', '。。。']) expect(classifyComment(empty)).toEqual({ kind: null, topics: [], tags: [] })
  })
})

describe('a site’s rules add to the built-in words', () => {
  it('a topic of its own, in any script and word form', () => {
    const rules: TagRule[] = [{ tag: 'coffee', keywords: ['espresso', '咖啡', 'flat white'] }]
    expectTags(['The espressos were cold', null, ['coffee']], rules)
    expectTags(['咖啡很好喝，物流也快', 'praise', ['delivery', 'coffee']], rules)
    expectTags(['點了一杯咖啡', null, ['coffee']], rules)
    expectTags(['A flat white, fast delivery', 'praise', ['delivery', 'coffee']], rules)
    expectTags(['A white flat', null, []], rules)
  })

  it('words for a kind flip with negation unless told otherwise', () => {
    const rules: TagRule[] = [{ tag: 'problem', keywords: ['cold', '凉了'] }]
    expectTags(['The espresso was cold', 'problem', []], rules)
    expectTags(['The espresso was not cold', 'praise', []], rules)
    expectTags(['咖啡都凉了', 'problem', []], rules)
    expectTags(['The espresso was cold', null, []])
    expectTags(['The espresso was not cold', 'problem', []], [{ tag: 'problem', keywords: ['cold'], whenNegated: 'count' }])
    expectTags(['The espresso was not cold', null, []], [{ tag: 'problem', keywords: ['cold'], whenNegated: 'skip' }])
  })

  it('a site word weighs fully without changing the built-in words around it', () => {
    // "issue" and "complaint" are light problem evidence, outweighed by "thanks".
    expectTags(['An issue, thanks', 'praise', []])
    expectTags(['A complaint, thanks', 'praise', []])
    const rules: TagRule[] = [{ tag: 'problem', keywords: ['complaint'] }]
    expectTags(['A complaint, thanks', 'problem', []], rules)
    expectTags(['An issue, thanks', 'praise', []], rules)
  })

  it('a topic can count a word only when negated, or only when not', () => {
    const missing: TagRule[] = [{ tag: 'refund-missing', keywords: ['refund', '退款'], whenNegated: 'only' }]
    expect(classifyComment('Still no refund', missing).topics).toContain('refund-missing')
    expect(classifyComment('没有退款', missing).topics).toContain('refund-missing')
    expect(classifyComment('Refund received, thanks', missing).topics).not.toContain('refund-missing')
    const wrap: TagRule[] = [{ tag: 'gift-wrap', keywords: ['gift wrap'], whenNegated: 'skip' }]
    expect(classifyComment('Lovely gift wrap', wrap).topics).toEqual(['gift-wrap'])
    expect(classifyComment('There was no gift wrap', wrap).topics).toEqual([])
  })

  it('reads the old default rules as no addition, and keeps what a site added to them', () => {
    const comments = ['The chocolate was delicious', 'no problem', '质量不错', '出差回来才收到', 'Could you add PayPal?', 'Appreciate it']
    for (const comment of comments) expect(classifyComment(comment, legacyDefaultTagRules)).toEqual(classifyComment(comment))
    const edited = legacyDefaultTagRules.map((rule) => (rule.tag === 'delivery' ? { ...rule, keywords: [...rule.keywords, '顺丰'] } : rule))
    expect(classifyComment('顺丰很快', edited).topics).toEqual(['delivery'])
    expect(classifyComment('顺丰很快').topics).toEqual([])
  })
})
