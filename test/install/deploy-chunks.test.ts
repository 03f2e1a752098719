import { expect, it } from 'vitest'
import { KEEP_DAYS, parseManifest, planCarry, type ChunkEntry } from '../../scripts/deploy-chunks.ts'

const now = new Date('2026-11-20T12:00:00.000Z')
const daysBefore = (days: number, ms = 0) => new Date(now.getTime() - days * 24 * 3600 * 1000 + ms).toISOString()

it('keeps a chunk while the release that replaced it is younger than the keep window, counted from its replacement', () => {
  const live: ChunkEntry[] = [
    // The live release's own chunks: replaced by this deploy, however long they were live.
    { file: 'hearken-sdk.Live0001.js', firstDeployed: daysBefore(90) },
    { file: 'widget.live0001.js', firstDeployed: daysBefore(90) },
    // Earlier releases: one replaced just inside the window, one exactly at its end.
    { file: 'courier.Recent01.js', firstDeployed: daysBefore(100), replaced: daysBefore(KEEP_DAYS, 1) },
    { file: 'widget.expired1.js', firstDeployed: daysBefore(100), replaced: daysBefore(KEEP_DAYS) },
    // The new build has this one already: its file is the build's, its first deployment stays.
    { file: 'courier.Same0001.js', firstDeployed: daysBefore(50), replaced: daysBefore(10) },
  ]
  const plan = planCarry(['courier.Same0001.js', 'hearken-sdk.New00001.js', 'widget.new00001.js'], live, now)
  expect(plan.pruned).toEqual(['widget.expired1.js'])
  expect(plan.carry).toEqual([
    { file: 'courier.Recent01.js', firstDeployed: daysBefore(100), replaced: daysBefore(KEEP_DAYS, 1) },
    { file: 'hearken-sdk.Live0001.js', firstDeployed: daysBefore(90), replaced: now.toISOString() },
    { file: 'widget.live0001.js', firstDeployed: daysBefore(90), replaced: now.toISOString() },
  ])
  expect(plan.manifest.chunks.slice(0, 3)).toEqual([
    { file: 'courier.Same0001.js', firstDeployed: daysBefore(50) },
    { file: 'hearken-sdk.New00001.js', firstDeployed: now.toISOString() },
    { file: 'widget.new00001.js', firstDeployed: now.toISOString() },
  ])
  expect(plan.manifest.chunks.slice(3)).toEqual(plan.carry)
})

it('starts from the build alone when nothing is live', () => {
  expect(planCarry(['widget.aaaa0000.js'], [], now)).toEqual({ manifest: { chunks: [{ file: 'widget.aaaa0000.js', firstDeployed: now.toISOString() }] }, carry: [], pruned: [] })
})

it('reads only entries that name a chunk file with valid dates, and refuses what is no manifest', () => {
  const text = JSON.stringify({
    chunks: [
      { file: 'widget.aaaa0000.js', firstDeployed: daysBefore(1) },
      { file: 'courier.B-_b.js', firstDeployed: daysBefore(3), replaced: daysBefore(2) },
      { file: '../../worker/src/index.js', firstDeployed: daysBefore(1) },
      { file: 'sub/widget.js', firstDeployed: daysBefore(1) },
      { file: 'widget.html', firstDeployed: daysBefore(1) },
      { file: 'widget.bbbb0000.js', firstDeployed: 'yesterday' },
      { file: 'widget.cccc0000.js', firstDeployed: daysBefore(1), replaced: 7 },
      null,
    ],
  })
  expect(parseManifest(text)).toEqual({
    entries: [
      { file: 'widget.aaaa0000.js', firstDeployed: daysBefore(1) },
      { file: 'courier.B-_b.js', firstDeployed: daysBefore(3), replaced: daysBefore(2) },
    ],
    rejected: 6,
  })
  expect(() => parseManifest('<html>Not found</html>')).toThrow('it is not JSON')
  expect(() => parseManifest('{"error":{"code":"not_found"}}')).toThrow('it has no "chunks" list')
  expect(() => parseManifest('null')).toThrow('it has no "chunks" list')
})
