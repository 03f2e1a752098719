/** The parts of jStat (npm `jstat`, which ships no types) the statistics tests use as their reference. */
declare module 'jstat' {
  const jStat: {
    mean(values: number[]): number
    /** Population variance unless `sample` is true. */
    variance(values: number[], sample?: boolean): number
    /** p of a z statistic, one- or two-sided. */
    ztest(z: number, sides: 1 | 2): number
    normal: { cdf(x: number, mean: number, sd: number): number; inv(p: number, mean: number, sd: number): number }
    /** The pooled two-proportion z-test (documented as `jStat.twoSidedDifferenceOfProportions`; the build puts it on `fn`). */
    fn: { twoSidedDifferenceOfProportions(p1: number, n1: number, p2: number, n2: number): number }
  }
  export default jStat
}
