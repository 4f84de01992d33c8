/**
 * The activity lines typing in a description writes: "<user> edited the description of <card>",
 * one per stretch of typing, not one per keystroke (each keystroke is a change to the board).
 * A stretch is one person typing in one card; its line is due when they pause for `pauseMs`, or
 * after `maxMs` of typing without such a pause, so a long session still shows up now and then.
 *
 * The board process notes each keystroke with its time and asks, on a timer, which lines are
 * due; times are passed in, so the rules are checked without waiting.
 */
import type { ActivityLine } from './model.ts'

/** How typing turns into lines. */
export type TypingTimes = {
  /** A pause this long ends a stretch: its line is written. */
  readonly pauseMs: number
  /** A stretch this long gets its line even while the typing goes on. */
  readonly maxMs: number
}

/** One line per 5 s of continuous typing at most, written when the typing pauses for 2 s. */
export const TYPING_TIMES: TypingTimes = { pauseMs: 2000, maxMs: 5000 }

type Stretch = { readonly by: string; readonly card: string; title: string; readonly since: number; last: number }

/** The stretches of typing a board has not written lines for yet. */
export class DescriptionLines {
  readonly #times: TypingTimes
  readonly #stretches = new Map<string, Stretch>()

  constructor(times: TypingTimes = TYPING_TIMES) {
    this.#times = times
  }

  /** `by` typed in `card` (named `title`, as a line names it) at `now`. */
  note(by: string, card: string, title: string, now: number): void {
    const key = JSON.stringify([by, card])
    const stretch = this.#stretches.get(key)
    if (stretch) {
      stretch.last = now
      stretch.title = title
    } else {
      this.#stretches.set(key, { by, card, title, since: now, last: now })
    }
  }

  /** Takes the lines due at `now`, in the order their stretches began. */
  take(now: number): ActivityLine[] {
    return this.#takeWhere((stretch) => this.#dueAt(stretch) <= now, now)
  }

  /** Takes every line, due or not (the board is stopping). */
  takeAll(now: number): ActivityLine[] {
    return this.#takeWhere(() => true, now)
  }

  /** When the next line is due; null when nobody is typing. */
  nextDue(): number | null {
    let next: number | null = null
    for (const stretch of this.#stretches.values()) next = Math.min(next ?? Infinity, this.#dueAt(stretch))
    return next
  }

  #dueAt(stretch: Stretch): number {
    return Math.min(stretch.last + this.#times.pauseMs, stretch.since + this.#times.maxMs)
  }

  #takeWhere(isDue: (stretch: Stretch) => boolean, now: number): ActivityLine[] {
    const lines: ActivityLine[] = []
    for (const [key, stretch] of this.#stretches) {
      if (!isDue(stretch)) continue
      this.#stretches.delete(key)
      lines.push({ at: now, by: stretch.by, text: `edited the description of ${stretch.title}` })
    }
    return lines
  }
}
