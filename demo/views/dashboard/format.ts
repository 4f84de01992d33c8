/** How readings and times read on the dashboard. */

/** A reading with one decimal. */
export const formatReading = (value: number): string => value.toFixed(1)

/** A clock time, 24 h, in the server's zone: `14:03:27`. */
export const formatTime = (ms: number): string =>
  new Date(ms).toLocaleTimeString('en-GB', { hour12: false })
