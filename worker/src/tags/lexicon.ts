/**
 * The built-in words: evidence for each kind, the words of each topic, negations, and
 * shields (words whose parts must not match: 没想到 is surprise, not a negation). Chinese is
 * written in 简体 once: comments and rules in 繁體 fold to it (text.ts). English is written
 * in base forms: the stemmer brings plurals, -ed and -ing to them; irregular forms are listed.
 * Sites add their own words on top (rules.ts); these are measured on the evaluation set
 * (worker/test/tags-eval) by `npm run bench:tags`.
 */
import type { WhenNegated } from './matcher.ts'

export const kinds = ['problem', 'suggestion', 'praise'] as const
export type Kind = (typeof kinds)[number]

export const builtInTopics = ['delivery', 'price', 'quality', 'support', 'usability'] as const
export type BuiltInTopic = (typeof builtInTopics)[number]

export interface WordGroup {
  tag: string
  /** Words and short phrases, separated by commas. */
  words: string
  /** 2 unless said: a clause is a problem when its problem weight reaches 2. */
  weight?: 1 | 2
  whenNegated?: WhenNegated
}

/** Parses a comma-separated word list. */
export const wordList = (words: string): string[] => words.split(',').map((word) => word.trim()).filter(Boolean)

export const negations =
  "not, no, never, none, nothing, nobody, no one, neither, nor, without, hardly, barely, cannot, can't, cant, don't, dont, doesn't, doesnt, didn't, didnt, isn't, isnt, wasn't, wasnt, weren't, aren't, won't, wont, wouldn't, wouldnt, couldn't, couldnt, shouldn't, haven't, havent, hasn't, hasnt, hadn't, ain't, " +
  "can't say, cannot say, can not say, couldn't say, wouldn't say, wouldn't call it, far from, " +
  '不, 没, 没有, 无, 未, 别, 非, 不太, 不是, 不是很, 不怎么, 不够, 并不, 并没有, 从不, 从没, 从来没, 从来没有, 毫无, 绝不, 没什么, 没啥, 一点也不, 一点都不, 一点也没, 一点都没, 没人, 没有人, 不会, 不算, 差点, 差一点'

export const shields =
  'late at night, slow cooker, kind of, what you suggested, you suggested, as suggested, no matter, never mind, not sure, no idea, ' +
  'not only, not just, 不但, 不仅, 不只, 不光, 太阳, 太太, 太空, 太极, 太平, ' +
  '请耐心等候, 到账, 差不多, 出差, 差价, 差异, 差别, 相差, 时差, 没想到, 想不到, 意想不到, 不到, 好的, 不好意思, 还行, 一般, 一般般, 没关系, 不用谢, 请问, 到现在'

/** Degree words that make what follows a complaint when it is not evidence already ("too high", 太咸). */
export const intensifiers = 'too, overly, 太, 过于, 太过'

export const builtInGroups: WordGroup[] = [
  // problem: something went wrong or the writer is unhappy.
  {
    tag: 'problem',
    words:
      'broken, broke, break, cracked, crack, damaged, damage, dented, scratched, scratch, smashed, crushed, soaked, torn, ripped, leak, leaking, snapped, faulty, defective, fault, ' +
      'stopped working, stopped charging, fell apart, falls apart, flimsy, cheaply made, stale, expired, rotten, mouldy, moldy, stink, disgusting, tasteless, smells like chemicals, ' +
      'late, delay, delayed, slow, slowly, forever, took forever, lost, missing, wrong, incorrect, never again, terrible, awful, horrible, bad, badly, poor, poorly, worst, worse, rubbish, useless, unhelpful, ' +
      'rude, dismissive, disappointed, disappointing, disappointment, unhappy, angry, annoyed, annoying, frustrated, frustrating, upset, unacceptable, ridiculous, sucks, hate, rushed, ' +
      'fail, failed, failure, error, bug, buggy, crash, crashes, glitch, freezes, frozen, stuck, confusing, confused, complicated, hard to find, hard to use, difficult, impossible, ' +
      'overpriced, expensive, too expensive, pricey, overcharged, charged twice, rip off, ripoff, scam, hidden fee, waste of money, cost more than, costs more than, ' +
      'cp值不高, 性价比不高, 价效比不高, 过了储存期限, took ages, took weeks, took days, took a week, took two weeks, took a month, chipped, 怎么还, 过了保存期限, 没收到, 没有收到, chase, on hold, in circles, gave up, give up, ignored, copy pasted, copy-pasted, runs small, too small, too big, too tight, nothing like, should have been, should have arrived, should have come, should have told, ' +
      "impatient, unusable, should've, shouldn't have to, logged me out, threw, thrown, left in the rain, over the fence, " +
      '差, 很差, 太差, 差劲, 差评, 垃圾, 坏, 坏了, 坏掉, 损坏, 摔坏, 压坏, 弄坏, 破损, 破了, 破掉, 碎, 碎了, 裂, 裂开, 断, 断了, 漏水, 漏液, 变形, 压扁, 湿掉, 淋, ' +
      '慢, 缓慢, 迟迟, 延迟, 延误, 晚了, 拖, 拖延, 错, 发错, 寄错, 送错, 搞错, 弄错, 少发, 漏发, 少寄, 漏寄, 丢了, 丢件, 被偷, 过期, 瑕疵, 刮痕, 划痕, 色差, 偏差, 粗糙, 线头, 起球, 掉色, 褪色, ' +
      '异味, 怪味, 难吃, 难用, 受潮, 发霉, 失望, 不满, 不爽, 生气, 无语, 坑, 坑人, 骗, 骗子, 假货, 麻烦, 复杂, 乱, 卡住, 卡顿, 闪退, 崩溃, 错误, 报错, 失败, 故障, ' +
      '敷衍, 冷淡, 爱答不理, 推脱, 推卸, 踢皮球, 答非所问, 罐头, 冲, 不客气, 凶, 贵, 太贵, 偏贵, 偏高, 不值, 亏, 吃亏, 偏小, 偏大, 太小, 太大, 紧, 不合适, 没电, 涨价, 降价, ' +
      '等很久, 等太久, 等了很久, 等好久, 催, 放弃, 没下文, 没消息, 没讯息, 没反应, 打不通, 收不到, 找不到, 付不了, 用不了, 打不开, 登不上, 买不到, 无法, 没办法, 不能用, 不了, 不行, 不好, ' +
      '不耐烦, 不太好, 不怎么好, 不是很好, 不够好, 不大好, 不一样, 不符, 不成正比, 再也不, 再也不买, 不会再买, 不会再来, 占线, 难, 简陋, 简单了点, 好不容易, 痛, 疼, 累, 挑剔, 有待提高, 👎, 😡, 😠, 🙁, 😞',
  },
  {
    tag: 'problem',
    weight: 1,
    words:
      'problem, issue, complaint, complain, waiting, waited, wait, still, keep, kept, keeps, nobody, no one, transferred, repeat, sadly, unfortunately, thin, again and again, had to, ' +
      'twice, three times, four times, five times, several times, multiple times, many times, ' +
      '问题, 毛病, 等了, 好久, 半天, 又, 还要, 要等, 有点, 一直, 老是, 总是, 根本, 重复, 退了, 说会, 说好, 凉了, 两次, 三次, 四次, 好几次, 几次, 多次',
  },
  // Verbs of an expectation: only their negation is evidence ("never arrived", 没收到).
  {
    tag: 'problem',
    whenNegated: 'only',
    words:
      'arrive, receive, come, came, show up, showed up, turn up, turned up, work, reply, respond, response, answer, get back, call back, callback, hear back, heard back, hear, update, load, ' +
      'help, refund, deliver, care, tell, told, knock, find, log in, login, sign in, collect, pick up, charge, connect, address, reach, contact, notify, get, got, ' +
      '收到, 到, 到账, 回, 回复, 回覆, 回应, 回电, 理, 接, 更新, 动, 发货, 出货, 送, 送到, 通知, 打电话, 消息, 讯息, 反应, 给, 附, 处理, 退款, 联系, 联络',
  },
  // suggestion: a request for a change or an addition.
  {
    tag: 'suggestion',
    words:
      'should, could you, can you, could be, could use, would be nice, would be great, would be good, would be better, it would help, would help, would love, would like, would appreciate, ' +
      "it'd be nice, i wish, wish, please add, suggest, suggestion, maybe, perhaps, consider, bring back, let us, let me, hope, hopefully, in future, in the future, how about, why not, " +
      '建议, 希望, 能不能, 可不可以, 能否, 可否, 是否可以, 可以考虑, 考虑, 最好, 如果能, 要是能, 若能, 如果可以, 期待, 增加, 加个, 多出, 出个, 改进, 改善, 优化, 最佳化, 延长, 能支持, 能支援',
  },
  { tag: 'suggestion', weight: 1, words: 'please, 提供' },
  // praise: satisfaction.
  {
    tag: 'praise',
    words:
      'great, good, excellent, amazing, awesome, fantastic, brilliant, superb, perfect, perfectly, love, loved, lovely, happy, glad, pleased, satisfied, impressed, impressive, wonderful, ' +
      'nice, neat, beautiful, delicious, tasty, comfortable, comfy, solid, sturdy, durable, well made, built to last, recommend, recommended, thank, thanks, thank you, appreciate, grateful, ' +
      'helpful, friendly, kind, polite, patient, professional, knowledgeable, efficient, quick, quickly, fast, speedy, prompt, promptly, on time, early, earlier than expected, ' +
      'smooth, smoothly, easy, easier, easily, simple, intuitive, clear, best, worth it, worth every penny, bargain, cheap and cheerful, does the job, as described, spot on, top notch, ' +
      'five stars, 5 stars, legend, above and beyond, solved, resolved, fixed, sorted, careful, carefully, secure, intact, well packed, in perfect shape, in one piece, reliable, ' +
      "exactly what i needed, well done, good job, great job, happy days, can't wait, second to none, like new, " +
      '❤, 😍, 👍, 🙂, 😊, 🥰, 👌, 💯, 🙏, ' +
      '好评, 很好, 非常好, 挺好, 真好, 太好了, 超好, 蛮好, 好好的, 好多了, 不错, 挺不错, 很不错, 还不错, 满意, 非常满意, 喜欢, 很喜欢, 爱了, 爱上, 棒, 很棒, 超棒, 太棒, 赞, 点赞, 给力, ' +
      '推荐, 推, 推推, 大推, 完美, 优秀, 出色, 惊喜, 感谢, 谢谢, 多谢, 辛苦, 辛苦了, 贴心, 用心, 耐心, 细心, 专业, 热情, 亲切, 礼貌, 有礼貌, 客气, 负责, 靠谱, 放心, 安心, ' +
      '快, 很快, 迅速, 及时, 准时, 秒回, 神速, 高效, 方便, 清楚, 清爽, 直觉, 直观, 流畅, 顺畅, 顺利, 好用, 好吃, 好看, 好逛, 舒服, 舒适, 新鲜, 正品, 耐用, 结实, 牢固, 严实, ' +
      '完好, 完好无损, 完整, 无损, 精细, 精致, 精美, 漂亮, 划算, 实惠, 物超所值, 超值, 值得, 性价比高, 性价比很高, 性价比超高, 价效比高, 价效比很高, 价效比超高, cp值高, cp值很高, cp值超高, 回购, ' +
      '解决, 解决了, 处理好, 搞定, 到位, 周到, 灵敏, 无可挑剔, 开心, 很开心, 高兴, 一如既往, 超乎预期, 超出预期, 早到, 比预计早, 进步, 提高, 变快, 五颗星, 五星',
  },
  // "couldn't be happier", "never looked better": a negated comparative is still praise.
  { tag: 'praise', whenNegated: 'count', words: 'happier, better, more satisfied, 更好, 更满意' },
  {
    tag: 'praise',
    weight: 1,
    words:
      'usable, fits well, fit well, survived, fine, decent, priceless, painless, next day, same day, useful, handy, 简单, 便宜, 合理, 标准, 刚好, 合身, 一样, 香, 环保, 没事, 懂, 明白, 加薪, 保温, 第二次买, 再来',
  },
  // Topics: what a comment is about, whatever the feeling and even when negated.
  {
    tag: 'delivery',
    words:
      'deliver, delivery, shipping, ship, shipment, dispatch, courier, driver, postman, postie, mailman, parcel, package, packaging, packed, packing, box, tracking, track, arrive, arrival, ' +
      'on time, pickup, pickup point, pick-up point, collection point, locker, doorstep, front door, neighbour, neighbor, wrong address, delivery address, shipping address, delivery slot, in transit, wrapped, wrapping, bubble wrap, fragile, cold chain, missing, ' +
      'wrong item, wrong colour, wrong color, wrong size, free shipping, ' +
      '物流, 快递, 配送, 发货, 出货, 送货, 送达, 送到, 到货, 收货, 包裹, 包装, 外箱, 箱子, 盒子, 快递员, 快递小哥, 配送员, 司机, 宅配, 黑猫, 超商取货, 超商, 取货, 驿站, 快递柜, 签收, 派送, ' +
      '寄, 寄错, 少寄, 漏寄, 寄送, 运费, 包邮, 免运, 次日达, 冷链, 冷藏, 上门, 发错, 少发, 漏发, 赠品, 地址, 门口, 管理室, 到, 到了, 早到, 气泡纸, 货运, 送货上门, 摔坏, 摔坏了, 压坏, 压坏了',
  },
  {
    tag: 'price',
    words:
      'price, priced, pricing, overpriced, pricey, expensive, cheap, cheaper, cheapest, cost, costly, value, value for money, worth, money, discount, coupon, voucher, promo, promotion, sale, deal, ' +
      'bargain, fee, charged twice, overcharged, affordable, free shipping, penny, ' +
      '价格, 价钱, 价位, 贵, 太贵, 便宜, 优惠, 优惠券, 折扣, 打折, 降价, 差价, 性价比, 价效比, cp值, 划算, 实惠, 物超所值, 超值, 运费, 包邮, 免运, 收费, 扣款, 扣钱, 扣, 原价, 涨价, 钱, 周年庆, 价, 退差价, 退了差价',
  },
  {
    tag: 'quality',
    words:
      'quality, material, fabric, stitching, build quality, well made, cheaply made, built to last, durable, sturdy, flimsy, broke, broken, zipper, zip, strap, lid, seam, battery, colour, color, ' +
      'runs small, fits, fit, taste, tastes, tasty, delicious, flavour, flavor, fresh, stale, expired, smell, smells, photos, as described, faulty, defective, defect, chipped, cracked, ' +
      'recipe, batch, product, stopped working, stopped charging, fell apart, ' +
      '质量, 品质, 质感, 做工, 材质, 面料, 布料, 料子, 用料, 线头, 色差, 尺码, 尺寸, 偏小, 偏大, 味道, 口感, 新鲜, 过期, 保存期限, 储存期限, 瑕疵, 刮痕, 耐用, 坏了, 坏掉, 坏的, 断了, 漏水, ' +
      '电池, 按键, 屏幕, 萤幕, 盖子, 正品, 假货, 图片, 照片, 描述, 舒服, 香味, 好吃, 怪味, 异味, 受潮, 保温, 肩带, 结实, 精细, 粗糙, 咖啡豆, 东西还不错, 口味',
  },
  {
    tag: 'support',
    words:
      'support, support team, customer service, service, agent, staff, advisor, representative, chat, live chat, chatbot, bot, by phone, on the phone, over the phone, phone call, phone line, phone number, call, callback, call back, on hold, email, ticket, ' +
      'reply, replied, response, respond, answer, answered, help, helpful, helpdesk, help desk, help center, help centre, faq, refund, return, returns, exchange, replacement, ' +
      'handled, explained, explain, transferred, human, assistant, unhelpful, resolved, solved, ' +
      '客服, 售后, 服务, 态度, 工作人员, 专员, 客服人员, 小姐姐, 回复, 回覆, 答复, 答覆, 解答, 解释, 解说, 退款, 退货, 换货, 退差价, 退了差价, 工单, 案件, 转人工, 机器人, 在线客服, 线上客服, ' +
      '投诉, 反映, 客服电话, 电话客服, 有人接, 回电, 回电话, 专业, 解决, 推脱, 推卸, 踢皮球, 答非所问, 罐头, 打不通, 没人接, 专线, 处理得',
  },
  {
    tag: 'usability',
    words:
      'website, site, web, page, app, checkout, check out, payment, pay, apple pay, paypal, card, log in, login, logged, logged me out, sign in, sign up, account, password, search, search bar, ' +
      'filter, sort by, navigation, find, form, the update, latest update, new update, new version, crash, crashes, bug, glitch, interface, ui, layout, easy to use, user friendly, user-friendly, dark mode, settings page, settings menu, account settings, translate, field, ' +
      '网站, 网页, 页面, 界面, 介面, app, 软件, 软体, 登录, 登入, 注册, 会员, 验证码, 密码, 结账, 结帐, 支付, 微信支付, line pay, 闪退, 操作, 排序, 筛选, 搜索, 搜寻, ' +
      '夜间模式, 深色模式, 说明书, 安装, 组装, 表单, 提交, 送出, 入口, 找东西, 好逛, 下单很方便',
  },
]
