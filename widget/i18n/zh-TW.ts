import type { Messages } from './en.ts'

export const zhTW: Messages = {
  npsLow: '完全不可能',
  npsHigh: '非常可能',
  csatLow: '非常不滿意',
  csatHigh: '非常滿意',
  cesLow: '非常困難',
  cesHigh: '非常容易',
  optional: '選填',
  send: '送出',
  close: '關閉問卷',
  pickScore: '請先選擇一個分數。',
  thanks: '感謝您的回饋！',
}
