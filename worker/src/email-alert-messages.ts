import type { DigestLang } from './digests-messages.ts'
import type { AlertWords } from './alert-text.ts'

/** The words of an alert email in Chinese; the layout is the chat text's (alert-text.ts). */
const zhCN: AlertWords = {
  test: (prefix, at, link) => `${prefix} 测试提醒：此 Webhook 工作正常。于 ${at} UTC 从控制台发送。${link}`,
  headlines: { negative: '不满意的回答', high_risk: '高风险客户：30 天内第二次不满意', reminder: '跟进已逾期' },
  counted: { negative: (n) => `${n} 个不满意的回答`, high_risk: (n) => `${n} 位高风险客户`, reminder: (n) => `${n} 个跟进已逾期` },
  since: (span) => `（最近 ${span}）`,
  minutes: (n) => `${n} 分钟`,
  hours: (n) => `${n} 小时`,
  days: (n) => `${n} 天`,
  summary: (total, since, parts) => `${total} 条提醒${since}：${parts.join('，')}`,
  single: (prefix, headline, scoreLine, who) => `${prefix} ${headline}：${scoreLine}，来自${who}。`,
  merged: (prefix, summary) => `${prefix} ${summary}，最严重的在前：`,
  scoreLine: (type, score, survey, checkpoint) => `${type} ${score} 分，问卷 ${survey}${checkpoint ? `（${checkpoint}）` : ''}`,
  user: (user) => `用户 ${user}`,
  subject: (subject) => `关于 ${subject}`,
  visitor: (visitor) => `访客 ${visitor}`,
  anonymous: '匿名访客',
  noComment: '无评论。',
  comment: '评论：',
  separator: '：',
  statuses: { open: '待处理', in_progress: '处理中', resolved: '已解决' },
  followUp: (status, due, assignee) => `跟进${status}，截止 ${due} UTC${assignee ? `，负责人 ${assignee}` : ''}。`,
  more: (n) => `… 另有 ${n} 条，请在控制台查看。`,
}

const zhTW: AlertWords = {
  test: (prefix, at, link) => `${prefix} 測試提醒：此 Webhook 運作正常。於 ${at} UTC 從控制台傳送。${link}`,
  headlines: { negative: '不滿意的回答', high_risk: '高風險客戶：30 天內第二次不滿意', reminder: '跟進已逾期' },
  counted: { negative: (n) => `${n} 個不滿意的回答`, high_risk: (n) => `${n} 位高風險客戶`, reminder: (n) => `${n} 個跟進已逾期` },
  since: (span) => `（最近 ${span}）`,
  minutes: (n) => `${n} 分鐘`,
  hours: (n) => `${n} 小時`,
  days: (n) => `${n} 天`,
  summary: (total, since, parts) => `${total} 則提醒${since}：${parts.join('，')}`,
  single: (prefix, headline, scoreLine, who) => `${prefix} ${headline}：${scoreLine}，來自${who}。`,
  merged: (prefix, summary) => `${prefix} ${summary}，最嚴重的在前：`,
  scoreLine: (type, score, survey, checkpoint) => `${type} ${score} 分，問卷 ${survey}${checkpoint ? `（${checkpoint}）` : ''}`,
  user: (user) => `使用者 ${user}`,
  subject: (subject) => `關於 ${subject}`,
  visitor: (visitor) => `訪客 ${visitor}`,
  anonymous: '匿名訪客',
  noComment: '無評論。',
  comment: '評論：',
  separator: '：',
  statuses: { open: '待處理', in_progress: '處理中', resolved: '已解決' },
  followUp: (status, due, assignee) => `跟進${status}，截止 ${due} UTC${assignee ? `，負責人 ${assignee}` : ''}。`,
  more: (n) => `… 另有 ${n} 則，請在控制台查看。`,
}

const catalogs: Record<Exclude<DigestLang, 'en'>, AlertWords> = { 'zh-CN': zhCN, 'zh-TW': zhTW }

export const alertEmailMessages = (lang: Exclude<DigestLang, 'en'>): AlertWords => catalogs[lang]
