import { arch, cpus, platform, totalmem } from 'node:os'

/** The machine a figure was measured on, printed beside it: absolute timings mean little without it. */
export function machine(): string {
  const cpu = cpus()
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${platform()}/${arch()}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`
}
