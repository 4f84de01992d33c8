// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { collectForms, restoreForm, serializeForm } from '../../../client/form.ts'

const form = (html: string): HTMLFormElement => {
  document.body.innerHTML = `<form id="f">${html}</form>`
  return document.getElementById('f') as HTMLFormElement
}

describe('serializeForm', () => {
  it('reads text fields, textareas and single selects as strings', () => {
    const f = form(`
      <input name="title" value="Hi"><textarea name="body">Long</textarea>
      <select name="size"><option>s</option><option selected>m</option></select>`)
    expect(serializeForm(f)).toEqual({ title: 'Hi', body: 'Long', size: 'm' })
  })

  it('gives only checked boxes, and an array when the name repeats', () => {
    const f = form(`
      <input type="checkbox" name="tags" value="a" checked>
      <input type="checkbox" name="tags" value="b">
      <input type="checkbox" name="tags" value="c" checked>
      <input type="checkbox" name="agree">`)
    expect(serializeForm(f)).toEqual({ tags: ['a', 'c'] })
  })

  it('gives a string when only one box of a group is checked (as a browser submits)', () => {
    const f = form(`
      <input type="checkbox" name="tags" value="a">
      <input type="checkbox" name="tags" value="b" checked>`)
    expect(serializeForm(f)).toEqual({ tags: 'b' })
  })

  it('always gives an array for a name ending in []', () => {
    const f = form(`
      <input type="checkbox" name="ids[]" value="1" checked>
      <input type="checkbox" name="ids[]" value="2">`)
    expect(serializeForm(f)).toEqual({ 'ids[]': ['1'] })
  })

  it('gives a multiple select as an array, even with one or no option selected', () => {
    const f = form(`
      <select name="a" multiple>
        <option selected>x</option><option>y</option><option selected>z</option>
      </select>
      <select name="b" multiple><option selected>x</option><option>y</option></select>
      <select name="c" multiple><option>x</option></select>`)
    expect(serializeForm(f)).toEqual({ a: ['x', 'z'], b: ['x'], c: [] })
  })

  it('reads options selected by script, not only by attribute', () => {
    const f = form(`<select name="c" multiple><option>red</option><option>blue</option></select>`)
    for (const option of f.querySelectorAll('option')) option.selected = true
    expect(serializeForm(f)).toEqual({ c: ['red', 'blue'] })
  })

  it('gives the checked radio of a group', () => {
    const f = form(`
      <input type="radio" name="plan" value="free">
      <input type="radio" name="plan" value="pro" checked>
      <input type="radio" name="other" value="x">`)
    expect(serializeForm(f)).toEqual({ plan: 'pro' })
  })

  it('skips disabled fields, fields in a disabled fieldset, files and buttons', () => {
    const f = form(`
      <input name="a" value="1" disabled>
      <fieldset disabled><input name="b" value="2"></fieldset>
      <input type="file" name="c"><button name="d" value="4">go</button>
      <input name="e" value="5">`)
    expect(serializeForm(f)).toEqual({ e: '5' })
  })

  it('includes the submitter when it has a name', () => {
    const f = form(`<input name="q" value="x"><button name="op" value="save">Save</button>`)
    expect(serializeForm(f, f.querySelector('button'))).toEqual({ q: 'x', op: 'save' })
  })
})

describe('restoreForm', () => {
  it('puts back the values collectForms took', () => {
    const f = form(`
      <input name="title"><input type="checkbox" name="tags" value="a">
      <input type="checkbox" name="tags" value="b" checked>
      <select name="m" multiple><option>x</option><option>y</option></select>
      <input type="radio" name="r" value="1" checked><input type="radio" name="r" value="2">`)
    const saved = { title: 'typed', tags: 'a', m: ['y'], r: '2' }
    restoreForm(f, saved)
    expect(serializeForm(f)).toEqual(saved)
    expect(collectForms(document.body)).toEqual({ f: saved })
  })
})
