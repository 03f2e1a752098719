import type { Messages } from './en.ts'

export const zhCN: Messages = {
  npsLow: '完全不可能',
  npsHigh: '非常可能',
  csatLow: '非常不满意',
  csatHigh: '非常满意',
  cesLow: '非常困难',
  cesHigh: '非常容易',
  optional: '选填',
  send: '提交',
  close: '关闭问卷',
  pickScore: '请先选择一个分数。',
  thanks: '感谢您的反馈！',
}
