/** How readings and times read on the dashboard. */

/** A reading with one decimal. */
export const formatReading = (value: number): string => value.toFixed(1)

// One formatter for every call: `toLocaleTimeString` builds a new one each time, and a dashboard
// of many operators formats the alert times of every card it renders.
const TIME = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
})

/** A clock time, 24 h, in the server's zone: `14:03:27`. */
export const formatTime = (ms: number): string => TIME.format(ms)
