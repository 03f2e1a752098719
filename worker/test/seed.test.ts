import { expect, it } from 'vitest'
import type { SegmentRule } from '../../sdk/protocol.ts'
import demo from '../seed/demo-site.json'
import { parseSiteInput } from '../src/sites.ts'
import { parseSurvey } from '../src/surveys.ts'

// The seed is typed loosely (Node scripts load it outside the worker's types), so the
// worker's own schemas check it here: what `npm start` seeds is what the API would accept.
it('seeds a demo site and surveys the operator API would accept as they are', () => {
  const { name, origins, timezone, settings, surveys } = demo as { name: string; origins: string[]; timezone: string; settings?: { segments?: SegmentRule[] }; surveys: object[] }
  expect(parseSiteInput({ name, origins, timezone, settings })).toMatchObject({ name, origins, timezone })
  expect(surveys.map((survey) => parseSurvey(survey, settings?.segments ?? []))).toEqual(surveys)
})
