/**
 * Hearken's typed SDK: ask at the moments of truth, never lose an answer.
 * @packageDocumentation
 */
export { createHearken } from './hearken.ts'
export type { CheckpointMap, CheckpointProps, Hearken, HearkenOptions } from './hearken.ts'
export type { HearkenEventName, HearkenEvents, HearkenHandler, SkipReason } from './events.ts'
export type {
  CsatSummary,
  ErrorBody,
  Locale,
  LocalizedText,
  NpsSummary,
  PropValue,
  PublicSurvey,
  ResponseInput,
  ResponseResult,
  ResponsesRequest,
  SiteConfig,
  StatsResult,
  SurveyType,
} from './protocol.ts'
