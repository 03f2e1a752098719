import { getCountries, getExampleNumber, type CountryCode } from 'libphonenumber-js'
import examples from 'libphonenumber-js/examples.mobile.json'
import { describe, expect, it } from 'vitest'
import { maskPii, maskUserId } from './pii.ts'

/**
 * Each case is a comment as a visitor types it and as it must be stored: what is masked is
 * replaced by its label, and everything else (dates, prices, order numbers, scores, the words
 * around) must come out unchanged. zh and en, half-width and full-width (what a Chinese IME types).
 */
const CASES: [text: string, stored: string][] = [
  // Emails
  ['write to john.doe+shop@example.co.uk please', 'write to [email] please'],
  ['邮箱 zhang.san@qq.com 谢谢', '邮箱 [email] 谢谢'],
  ['联系我zhang.san@163.com，谢谢', '联系我[email]，谢谢'],
  ['全角邮箱 ｚｈａｎｇ＠ｑｑ．ｃｏｍ 收到吗', '全角邮箱 [email] 收到吗'],
  ['mixed ｊｏｈｎ@example．ｃｏｍ here', 'mixed [email] here'],
  ['13800138000@qq.com is my mail', '[email] is my mail'],
  ['josé.garcía@correo.es escribió', '[email] escribió'],
  ['two: a@b.io, c.d@e-f.org.', 'two: [email], [email].'],
  ['not an email: john@localhost or @handle', 'not an email: john@localhost or @handle'],
  ['price @ 20 each, meet@noon', 'price @ 20 each, meet@noon'],
  // Mainland China mobiles
  ['手机13800138000联系我', '手机[phone]联系我'],
  ['my cell is 139-1234-5678', 'my cell is [phone]'],
  ['call +86 138 0013 8000', 'call [phone]'],
  ['+8613800138000 回电', '[phone] 回电'],
  ['0086 138 0013 8000 找王先生', '[phone] 找王先生'],
  ['(+86) 138 0013 8000', '[phone]'],
  ['电话：１３８００１３８０００', '电话：[phone]'],
  ['电话 １３８－００１３－８０００ 谢谢', '电话 [phone] 谢谢'],
  ['号码 138–0013–8000（白天）', '号码 [phone]（白天）'],
  ['号码 138\u20120013\u20128000', '号码 [phone]'],
  ['hyphen minus 138\u22120013\u22128000', 'hyphen minus [phone]'],
  ['zero width 138\u200b0013\u200b8000 ok', 'zero width [phone] ok'],
  ['2026-11-20 13800138000 联系', '2026-11-20 [phone] 联系'],
  ['两个号码 13800138000 13900139000', '两个号码 [phone] [phone]'],
  ['Tel-13800138000', 'Tel-[phone]'],
  ['tel13800138000', 'tel[phone]'],
  // Landlines and international numbers
  ['London 020 7946 0958', 'London [phone]'],
  ['US: +1 (415) 555-0100.', 'US: [phone].'],
  ['(415) 555-0100 or 415.555.0100', '[phone] or [phone]'],
  ['toll free 1-800-555-0100', 'toll free [phone]'],
  ['北京 010-12345678 转 8', '北京 [phone] 转 8'],
  ['深圳（０７５５）１２３４５６７８', '深圳[phone]'],
  ['Paris +33 6 12 34 56 78', 'Paris [phone]'],
  ['+44 (0) 20 7946 0958 office', '[phone] office'],
  ['香港 +852 5123 4567', '香港 [phone]'],
  ['東京 090ー1234ー5678 まで', '東京 [phone] まで'],
  ['ten digits 4155550100 no spaces', 'ten digits [phone] no spaces'],
  ['十位 ４１５５５５０１００', '十位 [phone]'],
  ['call me at 555-0100', 'call me at [phone]'],
  ['电话 8765 4321', '电话 [phone]'],
  // ID numbers
  ['身份证 110101199003077777', '身份证 [id]'],
  ['ID 11010119900307777X ok', 'ID [id] ok'],
  ['身份证号：１１０１０１１９９００３０７７７７Ｘ', '身份证号：[id]'],
  ['old id 110101900307777', 'old id [id]'],
  ['身分證 A123456789 請保密', '身分證 [id] 請保密'],
  // QQ and WeChat
  ['QQ 12345678', 'QQ [qq]'],
  ['qq号：123456789 加我', 'qq号：[qq] 加我'],
  ['加QQ12345678', '加QQ[qq]'],
  ['扣扣 ９８７６５４３２１', '扣扣 [qq]'],
  ['微信号：zhangsan', '微信号：[wechat]'],
  ['加微信 zhang_88 聊', '加微信 [wechat] 聊'],
  ['wechat: wxid_abc123xyz', 'wechat: [wechat]'],
  ['微信 payment is great', '微信 payment is great'],
  ['QQ音乐很好用 12345', 'QQ音乐很好用 12345'],
  // Long digit runs
  ['card 4111 1111 1111 1111', 'card [number]'],
  ['卡号 6222020200001234567', '卡号 [number]'],
  ['account 123456789012', 'account [number]'],
  // Kept: dates, prices, order numbers, scores, codes
  ['I rated 9 out of 10', 'I rated 9 out of 10'],
  ['order A-1001 arrived on 2026-11-20', 'order A-1001 arrived on 2026-11-20'],
  ['订单 2026-11-20-123456 还没到', '订单 2026-11-20-123456 还没到'],
  ['order 2026-11-20-123456 is late', 'order 2026-11-20-123456 is late'],
  ['单号 2026/11/20/000123', '单号 2026/11/20/000123'],
  ['订单号：１２３４５６７８９０１', '订单号：１２３４５６７８９０１'],
  ['order no. 12345678901 missing', 'order no. 12345678901 missing'],
  ['order #4155550100', 'order #4155550100'],
  ['serial 20261120123456 ok', 'serial 20261120123456 ok'],
  ['paid 129.00 euros, delivered 20/11/2026', 'paid 129.00 euros, delivered 20/11/2026'],
  ['¥1,299.00 太贵了', '¥1,299.00 太贵了'],
  ['tracking 12345678', 'tracking 12345678'],
  ['room 1203, building 5', 'room 1203, building 5'],
  ['1 2 3 4 5 6 7 8 9 10', '1 2 3 4 5 6 7 8 9 10'],
  ['评分 10/10，五星', '评分 10/10，五星'],
  ['server 192.168.100.200 down', 'server 192.168.100.200 down'],
  ['pi is 3.14159265358979', 'pi is 3.14159265358979'],
  ['SKU SO2026112012345678 wrong', 'SKU SO2026112012345678 wrong'],
  ['model ABC-1380013800 broke', 'model ABC-1380013800 broke'],
  ['2000mAh 电池 只用了 3 天', '2000mAh 电池 只用了 3 天'],
  ['营业时间 9:00-18:00', '营业时间 9:00-18:00'],
  ['全角日期 ２０２６－１１－２０ 到货', '全角日期 ２０２６－１１－２０ 到货'],
  ['', ''],
]

describe('maskPii', () => {
  it(`holds ${CASES.length} table cases`, () => expect(CASES.length).toBeGreaterThanOrEqual(60))

  it.each(CASES)('%j is stored as %j', (text, stored) => {
    expect(maskPii(text)).toBe(stored)
  })

  it('changes nothing on a second pass', () => {
    for (const [text] of CASES) expect(maskPii(maskPii(text))).toBe(maskPii(text))
  })
})

/**
 * An independent reference: libphonenumber's example mobile number for every country it knows,
 * written as people write them. International forms are always masked; national forms when they
 * have ten digits or more, or start with a trunk 0 and have nine, or a phone word comes first.
 */
describe('maskPii on every country’s example number (libphonenumber-js)', () => {
  const numbers = getCountries().map((country) => ({ country, number: getExampleNumber(country as CountryCode, examples)! }))

  it('masks each in E.164 and international format, in English and Chinese sentences', () => {
    const missed: string[] = []
    for (const { country, number } of numbers) {
      for (const written of [number.number, number.formatInternational()]) {
        for (const [before, after] of [['Call me on ', ' today.'], ['请拨打', '联系我']]) {
          if (maskPii(`${before}${written}${after}`) !== `${before}[phone]${after}`) missed.push(`${country} ${written}`)
        }
      }
    }
    expect(missed).toEqual([])
  })

  it('masks national forms after a phone word, and long ones anywhere', () => {
    const missed: string[] = []
    for (const { country, number } of numbers) {
      const national = number.formatNational()
      const digits = national.replace(/\D/g, '')
      if (digits.length < 7) continue
      if (maskPii(`电话：${national}`) !== '电话：[phone]') missed.push(`${country} 电话：${national}`)
      if (maskPii(`phone ${national}`) !== 'phone [phone]') missed.push(`${country} phone ${national}`)
      if ((digits.length >= 10 || (digits.startsWith('0') && digits.length >= 9 && /\D/.test(national.trim()))) && maskPii(`x ${national} y`) !== 'x [phone] y') {
        missed.push(`${country} ${national}`)
      }
    }
    expect(missed).toEqual([])
  })
})

describe('maskUserId', () => {
  it('keeps ids with nothing personal, and gives one person one masked id under one site key', async () => {
    expect(await maskUserId('site-key', 'user-42')).toBe('user-42')
    const email = await maskUserId('site-key', 'Zhang.San@QQ.com')
    expect(email).toMatch(/^\[email\]~[a-p]{10}$/)
    expect(await maskUserId('site-key', 'zhang.san@qq.com')).toBe(email)
    expect(await maskUserId('site-key', 'ｚｈａｎｇ．ｓａｎ＠ｑｑ．ｃｏｍ')).toBe(email)
    expect(await maskUserId('site-key', 'li.si@qq.com')).not.toBe(email)
    expect(await maskUserId('other-site-key', 'zhang.san@qq.com')).not.toBe(email)
    expect(await maskUserId('site-key', '13800138000')).toMatch(/^\[phone\]~[a-p]{10}$/)
    expect(await maskUserId('site-key', email)).toBe(email)
  })
})
