import type { SurveyType } from '../../sdk/protocol.ts'
import type { DigestFrequency } from './report-period.ts'
import type { ChangeVerdict } from './stats-result.ts'

/** What a digest says, in English, Simplified and Traditional Chinese. Numbers come formatted. */
export type DigestLang = 'en' | 'zh-CN' | 'zh-TW'

/** A figure as digests print it: at most one decimal, a true minus sign. */
export const figure = (value: number): string => String(Math.round(value * 10) / 10).replace('-', '−')
/** A change with its sign: +8, −3.5, 0. */
export const signed = (value: number): string => (value > 0 ? `+${figure(value)}` : figure(value))

const SCORE_NAMES: Record<SurveyType, string> = { nps: 'NPS', csat: 'CSAT', ces: 'CES' }
/** A score with its unit: NPS in points, CSAT and CES in %. */
export const scoreText = (type: SurveyType, score: number): string => `${SCORE_NAMES[type]} ${figure(score)}${type === 'nps' ? '' : '%'}`
export const intervalText = (type: SurveyType, [low, high]: [number, number]): string =>
  type === 'nps' ? `${figure(low)} … ${figure(high)}` : `${figure(low)}–${figure(high)}%`

const en = {
  title: (frequency: DigestFrequency) => ({ daily: 'Daily digest', weekly: 'Weekly digest', monthly: 'Monthly digest' })[frequency],
  zone: (zone: string) => `(${zone})`,
  score: (score: string, interval: string, n: number) => `${score} (95% ${interval}, n = ${n})`,
  noAnswers: 'no answers in this period',
  goalMet: (target: string, gap: string) => `goal ${target}: met (${gap})`,
  goalMissed: (target: string, gap: string) => `goal ${target}: ${gap} to go`,
  change: (points: string, from: string, to: string) => `Change ${points} vs ${from} – ${to}`,
  verdicts: {
    significant: 'significant at 95%',
    not_significant: 'not significant (within chance)',
    directional: (min: number) => `directional only: a period has fewer than ${min} answers`,
  } satisfies Record<ChangeVerdict, string | ((min: number) => string)>,
  pValue: (p: string) => `p = ${p}`,
  noComparison: 'nothing to compare with in the previous period',
  responseRate: (rate: string, answered: number, shown: number) => `Response rate ${rate}% (${answered} answered of ${shown} shown)`,
  noImpressions: 'Response rate: no cards shown',
  worstCheckpoint: 'Worst checkpoint',
  worstSegment: 'Worst segment',
  noSegment: '(no segment)',
  few: (min: number) => `fewer than ${min} answers`,
  rising: 'Rising among unhappy answers',
  noRising: 'No theme rising among unhappy answers',
  followUps: 'Follow-ups',
  followUpCounts: (opened: number, resolved: number, overdue: number) => `${opened} opened, ${resolved} resolved, ${overdue} overdue`,
  sla: (rate: string, inTime: number, due: number) => `${rate}% resolved within the SLA (${inTime} of ${due} due)`,
  noSla: 'none fell due',
  firstAction: (hours: string, n: number) => `first action after ${hours} h (median, n = ${n})`,
  resolveTime: (hours: string, n: number) => `resolved after ${hours} h (median, n = ${n})`,
  byAssignee: 'By assignee',
  byCheckpoint: 'By checkpoint',
  unassigned: 'unassigned',
  groupSla: (name: string, rate: string, inTime: number, due: number) => `${name} ${rate}% (${inTime}/${due})`,
  dashboard: 'Dashboard',
  report: 'Printable report',
  more: (n: number) => `… and ${n} more on the dashboard.`,
  moreSurveys: (n: number) => `${n} more surveys are not in this digest: name them in settings.digests.surveys.`,
  hours: 'h',
  tableScore: 'Score',
  tableInterval: '95% interval',
  tableGoal: 'Goal',
  tableChange: 'Change',
  tableRate: 'Response rate',
  tableGroup: 'Who / where',
  tableOpened: 'Opened',
  tableResolved: 'Resolved',
  tableOverdue: 'Overdue',
  tableSla: 'Within SLA',
  tableFirstAction: 'First action (median)',
  tableResolve: 'Resolved (median)',
}

export type DigestMessages = typeof en

const zhCN: DigestMessages = {
  title: (frequency) => ({ daily: '每日摘要', weekly: '每周摘要', monthly: '每月摘要' })[frequency],
  zone: (zone) => `（${zone}）`,
  score: (score, interval, n) => `${score}（95% 区间 ${interval}，n = ${n}）`,
  noAnswers: '本期没有回答',
  goalMet: (target, gap) => `目标 ${target}：已达成（${gap}）`,
  goalMissed: (target, gap) => `目标 ${target}：还差 ${gap}`,
  change: (points, from, to) => `变化 ${points}（对比 ${from} – ${to}）`,
  verdicts: {
    significant: '在 95% 置信度下显著',
    not_significant: '不显著（在随机波动范围内）',
    directional: (min) => `仅供参考：有周期的回答少于 ${min} 个`,
  },
  pValue: (p) => `p = ${p}`,
  noComparison: '上一周期没有可比较的回答',
  responseRate: (rate, answered, shown) => `回复率 ${rate}%（展示 ${shown} 次，回答 ${answered} 次）`,
  noImpressions: '回复率：没有展示记录',
  worstCheckpoint: '最差触点',
  worstSegment: '最差分群',
  noSegment: '（无分群）',
  few: (min) => `回答少于 ${min} 个`,
  rising: '不满意回答中上升的主题',
  noRising: '不满意回答中没有上升的主题',
  followUps: '跟进',
  followUpCounts: (opened, resolved, overdue) => `新增 ${opened}，已解决 ${resolved}，逾期 ${overdue}`,
  sla: (rate, inTime, due) => `SLA 内解决 ${rate}%（到期 ${due} 个中按时 ${inTime} 个）`,
  noSla: '本期没有到期的跟进',
  firstAction: (hours, n) => `首次处理 ${hours} 小时（中位数，n = ${n}）`,
  resolveTime: (hours, n) => `解决 ${hours} 小时（中位数，n = ${n}）`,
  byAssignee: '按负责人',
  byCheckpoint: '按触点',
  unassigned: '未分配',
  groupSla: (name, rate, inTime, due) => `${name} ${rate}%（${inTime}/${due}）`,
  dashboard: '控制台',
  report: '可打印报告',
  more: (n) => `…… 另有 ${n} 项，请在控制台查看。`,
  moreSurveys: (n) => `另有 ${n} 个问卷未列入本摘要：请在 settings.digests.surveys 中指定。`,
  hours: '小时',
  tableScore: '得分',
  tableInterval: '95% 区间',
  tableGoal: '目标',
  tableChange: '变化',
  tableRate: '回复率',
  tableGroup: '负责人 / 触点',
  tableOpened: '新增',
  tableResolved: '已解决',
  tableOverdue: '逾期',
  tableSla: 'SLA 内',
  tableFirstAction: '首次处理（中位数）',
  tableResolve: '解决（中位数）',
}

const zhTW: DigestMessages = {
  title: (frequency) => ({ daily: '每日摘要', weekly: '每週摘要', monthly: '每月摘要' })[frequency],
  zone: (zone) => `（${zone}）`,
  score: (score, interval, n) => `${score}（95% 區間 ${interval}，n = ${n}）`,
  noAnswers: '本期沒有回覆',
  goalMet: (target, gap) => `目標 ${target}：已達成（${gap}）`,
  goalMissed: (target, gap) => `目標 ${target}：還差 ${gap}`,
  change: (points, from, to) => `變化 ${points}（對比 ${from} – ${to}）`,
  verdicts: {
    significant: '在 95% 信賴水準下顯著',
    not_significant: '不顯著（在隨機波動範圍內）',
    directional: (min) => `僅供參考：有週期的回覆少於 ${min} 個`,
  },
  pValue: (p) => `p = ${p}`,
  noComparison: '上一週期沒有可比較的回覆',
  responseRate: (rate, answered, shown) => `回覆率 ${rate}%（展示 ${shown} 次，回覆 ${answered} 次）`,
  noImpressions: '回覆率：沒有展示紀錄',
  worstCheckpoint: '最差觸點',
  worstSegment: '最差分群',
  noSegment: '（無分群）',
  few: (min) => `回覆少於 ${min} 個`,
  rising: '不滿意回覆中上升的主題',
  noRising: '不滿意回覆中沒有上升的主題',
  followUps: '跟進',
  followUpCounts: (opened, resolved, overdue) => `新增 ${opened}，已解決 ${resolved}，逾期 ${overdue}`,
  sla: (rate, inTime, due) => `SLA 內解決 ${rate}%（到期 ${due} 個中準時 ${inTime} 個）`,
  noSla: '本期沒有到期的跟進',
  firstAction: (hours, n) => `首次處理 ${hours} 小時（中位數，n = ${n}）`,
  resolveTime: (hours, n) => `解決 ${hours} 小時（中位數，n = ${n}）`,
  byAssignee: '按負責人',
  byCheckpoint: '按觸點',
  unassigned: '未指派',
  groupSla: (name, rate, inTime, due) => `${name} ${rate}%（${inTime}/${due}）`,
  dashboard: '控制台',
  report: '可列印報告',
  more: (n) => `…… 另有 ${n} 項，請在控制台查看。`,
  moreSurveys: (n) => `另有 ${n} 個問卷未列入本摘要：請在 settings.digests.surveys 中指定。`,
  hours: '小時',
  tableScore: '分數',
  tableInterval: '95% 區間',
  tableGoal: '目標',
  tableChange: '變化',
  tableRate: '回覆率',
  tableGroup: '負責人 / 觸點',
  tableOpened: '新增',
  tableResolved: '已解決',
  tableOverdue: '逾期',
  tableSla: 'SLA 內',
  tableFirstAction: '首次處理（中位數）',
  tableResolve: '解決（中位數）',
}

const catalogs: Record<DigestLang, DigestMessages> = { en, 'zh-CN': zhCN, 'zh-TW': zhTW }

export const digestMessages = (lang: DigestLang): DigestMessages => catalogs[lang]
