/** Test helper: the LiveError code `action` throws, or undefined when it throws nothing. */
import { isLiveError } from '../../framework/errors.ts'

/** Runs `action`; returns the code of the LiveError it threw, a description of any other throw. */
export const codeOf = (action: () => unknown): string | undefined => {
  try {
    action()
  } catch (error) {
    return isLiveError(error) ? error.code : `not a LiveError: ${String(error)}`
  }
  return undefined
}
