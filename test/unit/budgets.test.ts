import { expect, it } from 'vitest'
import { budgets, bundleSizes } from '../../scripts/sizes.ts'

// Sizes of the built bundles (npm test builds first); a timing never goes here, sizes are exact.
const sizes = bundleSizes()

it(`keeps the loader every page pays for within ${budgets.loader} bytes gzip`, () => {
  expect(sizes.loader.gzip).toBeLessThanOrEqual(budgets.loader)
})

it(`keeps the loader and the SDK chunk within ${budgets.loaderAndSdk} bytes gzip`, () => {
  expect(sizes.loaderAndSdkGzip).toBeLessThanOrEqual(budgets.loaderAndSdk)
})

it(`keeps the survey card, Preact included, within ${budgets.widget} bytes gzip`, () => {
  expect(sizes.widget.gzip).toBeLessThanOrEqual(budgets.widget)
})

it(`keeps everything up to a visible survey within ${budgets.toVisibleSurvey} bytes gzip`, () => {
  expect(sizes.toVisibleSurveyGzip).toBeLessThanOrEqual(budgets.toVisibleSurvey)
})

it(`keeps the courier, loaded once something waits to be delivered, within ${budgets.courier} bytes gzip`, () => {
  expect(sizes.courier.gzip).toBeLessThanOrEqual(budgets.courier)
})
