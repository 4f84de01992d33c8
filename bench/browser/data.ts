/**
 * The rows of the keyed benchmark, as the js-framework-benchmark defines them: an id counting up
 * from 1 for the page's life and a label of three random words. The vanilla page builds the same
 * labels in the browser (vanilla.js); only their shape matters, not the words.
 */

/** One row of the table. */
export type Row = { readonly id: number; readonly label: string }

const ADJECTIVES = ['pretty', 'large', 'big', 'small', 'tall', 'short', 'long', 'handsome', 'plain', 'quaint', 'clean', 'elegant', 'easy', 'angry', 'crazy', 'helpful', 'mushy', 'odd', 'unsightly', 'adorable', 'important', 'inexpensive', 'cheap', 'expensive', 'fancy']
const COLOURS = ['red', 'yellow', 'blue', 'green', 'pink', 'brown', 'purple', 'brown', 'white', 'black', 'orange']
const NOUNS = ['table', 'chair', 'house', 'bbq', 'desk', 'car', 'pony', 'cookie', 'sandwich', 'burger', 'pizza', 'mouse', 'keyboard']

const pick = (words: readonly string[]): string => words[Math.floor(Math.random() * words.length)] as string

/** `count` new rows, ids from `firstId` on. */
export const buildRows = (firstId: number, count: number): Row[] => {
  const rows: Row[] = new Array(count)
  for (let i = 0; i < count; i++) {
    rows[i] = { id: firstId + i, label: `${pick(ADJECTIVES)} ${pick(COLOURS)} ${pick(NOUNS)}` }
  }
  return rows
}

/** The benchmark's buttons: the id each page gives its button (the driver clicks by id), its text. */
export const BUTTONS: readonly (readonly [id: string, text: string])[] = [
  ['run', 'Create 1,000 rows'],
  ['runlots', 'Create 10,000 rows'],
  ['add', 'Append 1,000 rows'],
  ['update', 'Update every 10th row'],
  ['clear', 'Clear'],
  ['swaprows', 'Swap Rows'],
]
