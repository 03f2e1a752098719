/**
 * Hearken's typed SDK: ask at the moments of truth, never lose an answer.
 * @packageDocumentation
 */
export { createHearken } from './hearken.ts'
export type { CheckpointArgs, CheckpointMap, CheckpointProps, Hearken, HearkenOptions } from './hearken.ts'
export type { HandlerResult, HearkenEventName, HearkenEvents, HearkenHandler, SkipReason } from './events.ts'
export { memoryStore } from './store.ts'
export type { Store } from './store.ts'
export type {
  Condition,
  Dimension,
  FollowUpKey,
  ImpressionInput,
  Language,
  Locale,
  LocalizedText,
  Placement,
  PropValue,
  PublicSurvey,
  ResponseInput,
  ScoreBand,
  SegmentRule,
  SiteConfig,
  SurveyType,
  Targeting,
  Theme,
  WidgetChunk,
  WidgetTexts,
} from './protocol.ts'
export type { WidgetModule, WidgetProps } from './widget-contract.ts'
