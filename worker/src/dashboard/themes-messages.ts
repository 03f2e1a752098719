import { TAG_LABELS } from '../tags.ts'
import type { Lang } from './i18n.ts'

/** The dashboard's words for themes, hot issues and re-tagging, in each language. */
const en = {
  themes: 'Themes in the comments',
  themesPeriod: (from: string, to: string, previousFrom: string, previousTo: string) => `${from} – ${to}, compared with ${previousFrom} – ${previousTo}`,
  hotIssues: 'Hot issues',
  hotIssuesHelp: 'Topics whose share of the unhappy answers (detractors, low scores) grew since the period compared with.',
  noHotIssues: 'No topic is rising among the unhappy answers.',
  hotIssue: (tag: string, share: string, previous: string | null, rise: string) =>
    `${tag}: in ${share}% of the unhappy answers${previous === null ? '' : ` (${previous}% before)`}, ${rise} points`,
  rising: { significant: 'a rise beyond chance (95%)', not_significant: 'within what chance alone makes', directional: (min: number) => `directional only: fewer than ${min} unhappy answers in a period` },
  themesHelp: 'Worst first: the lowest upper end of the score’s 95% interval first. Change: the score of these answers against the period compared with; * significant at 95%. A tag links to its comments.',
  before: (n: number) => `before: ${n}`,
  noThemes: 'No tagged comments in these periods.',
  tag: 'Tag',
  answers: 'Answers',
  unhappy: 'Unhappy',
  scoreOf: 'Score (95%)',
  change: 'Change',
  kind: 'kind',
  tagLabels: {} as Record<string, string>,
  waiting: 'The tag rules changed: re-tagging the stored comments starts within a minute. Until it ends, older comments keep the tags of the rules before.',
  retagging: (done: string, total: string, through: string) =>
    `Re-tagging the stored comments after the rules changed: ${done} of ${total} done, newest first (comments since ${through} carry the new tags). Until it ends, older comments keep the tags of the rules before.`,
}

export type ThemesMessages = typeof en

const zhCN: ThemesMessages = {
  themes: '评论主题',
  themesPeriod: (from: string, to: string, previousFrom: string, previousTo: string) => `${from} – ${to}，对比 ${previousFrom} – ${previousTo}`,
  hotIssues: '热点问题',
  hotIssuesHelp: '在不满意的回答（贬损者、低分）中占比比对比周期上升的话题。',
  noHotIssues: '不满意的回答中没有占比上升的话题。',
  hotIssue: (tag: string, share: string, previous: string | null, rise: string) =>
    `${tag}：占不满意回答的 ${share}%${previous === null ? '' : `（之前 ${previous}%）`}，${rise} 个百分点`,
  rising: { significant: '上升超出随机波动（95%）', not_significant: '在随机波动范围内', directional: (min: number) => `仅供参考：有周期的不满意回答少于 ${min} 个` },
  themesHelp: '最差的在前：按分数 95% 区间上限从低到高排列。变化：这些回答的分数与对比周期相比；* 表示在 95% 置信度下显著。点击标签查看相关评论。',
  before: (n: number) => `之前：${n}`,
  noThemes: '这两个周期内没有带标签的评论。',
  tag: '标签',
  answers: '回答',
  unhappy: '不满意',
  scoreOf: '分数（95%）',
  change: '变化',
  kind: '类型',
  tagLabels: TAG_LABELS['zh-CN'],
  waiting: '标签规则已更改：一分钟内开始为已存评论重新打标签。完成前，较早的评论仍带有旧规则的标签。',
  retagging: (done: string, total: string, through: string) =>
    `规则更改后正在为已存评论重新打标签：已完成 ${done} / ${total}，从最新的开始（${through} 以来的评论已带新标签）。完成前，较早的评论仍带有旧规则的标签。`,
}

const messages: Record<Lang, ThemesMessages> = { en, 'zh-CN': zhCN }

export const themesMessagesFor = (lang: Lang): ThemesMessages => messages[lang]
