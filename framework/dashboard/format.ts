/** Number formats for the system dashboard: short, fixed width where it helps reading. */

/** 1234567 → "1,234,567". */
export const count = (n: number): string => Math.round(n).toLocaleString('en-US')

/** Bytes in B, KB, MB or GB with one decimal past KB. */
export const bytes = (n: number): string => {
  if (n < 1024) return `${Math.round(n)} B`
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`
  return `${(n / 1024 ** 3).toFixed(2)} GB`
}

/** Milliseconds with a precision that suits the size. */
export const ms = (n: number): string => (n < 10 ? `${n.toFixed(2)} ms` : `${n.toFixed(0)} ms`)

/** A rate per second. */
export const rate = (n: number): string => (n > 0 && n < 10 ? n.toFixed(1) : count(n))

/** Seconds as "3d 4h", "2h 5m" or "4m 10s". */
export const duration = (s: number): string => {
  const d = Math.floor(s / 86400)
  const h = Math.floor((s % 86400) / 3600)
  const m = Math.floor((s % 3600) / 60)
  if (d > 0) return `${d}d ${h}h`
  if (h > 0) return `${h}h ${m}m`
  return `${m}m ${Math.floor(s % 60)}s`
}

/** A wall-clock time, HH:MM:SS UTC. */
export const clock = (at: number): string => new Date(at).toISOString().slice(11, 19)
