// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { collectForms, serializeForm, type FormValues } from '../../../client/form.ts'
import { recoverForms, restoreForm } from '../../../client/form-restore.ts'

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

describe('recoverForms', () => {
  const setup = () => {
    const f = form('<input name="name">')
    f.setAttribute('live-change', 'validate')
    const sent: [string, FormValues][] = []
    return { f, input: f.elements.namedItem('name') as HTMLInputElement, sent, change: (event: string, values: FormValues) => void sent.push([event, values]) }
  }

  it('puts the saved values back and sends them when the form holds what the join left', () => {
    const { input, sent, change } = setup()
    const joined = collectForms(document.body)
    recoverForms(document.body, { f: { name: 'A' } }, joined, change)
    expect(input.value).toBe('A')
    expect(sent).toEqual([['validate', { name: 'A' }]])
  })

  it('leaves a form the user edited after the join (while the chunk loaded): the newer values win', () => {
    const { input, sent, change } = setup()
    const joined = collectForms(document.body)
    input.value = 'Ada' // typed before the forms chunk arrived; its own live-change told the server
    recoverForms(document.body, { f: { name: 'A' } }, joined, change)
    expect(input.value).toBe('Ada')
    expect(sent).toEqual([])
  })
})

// Field names that are also members of Object.prototype (issue 10 #20).
describe('fields named like Object.prototype members', () => {
  const NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']
  for (const name of NAMES) {
    it(`sends the value of a field named ${name} as a browser would`, () => {
      const f = form(`<input name="${name}" value="typed"><input name="other" value="x">`)
      expect(JSON.stringify(serializeForm(f))).toBe(`{"${name}":"typed","other":"x"}`)
    })

    it(`gives an array when a field named ${name} repeats`, () => {
      const f = form(`<input name="${name}" value="a"><input name="${name}" value="b">`)
      expect(JSON.stringify(serializeForm(f))).toBe(`{"${name}":["a","b"]}`)
    })

    it(`restores what was typed into a field named ${name} after a rejoin`, () => {
      const f = form(`<input name="${name}">`)
      const input = f.querySelector('input')!
      input.value = 'typed'
      const saved = JSON.parse(JSON.stringify(collectForms(document.body))) as { f: FormValues }
      expect(JSON.stringify(saved)).toBe(`{"f":{"${name}":"typed"}}`)
      input.value = ''
      restoreForm(f, saved.f)
      expect(input.value).toBe('typed')
    })

    it(`leaves a field named ${name} alone when the saved values do not name it`, () => {
      const f = form(`<input name="${name}" value="server">`)
      restoreForm(f, {})
      expect(f.querySelector('input')!.value).toBe('server')
    })
  }

  it('keys forms by their id attribute even when a field named "id" hides form.id', () => {
    const f = form(`<input type="hidden" name="id" value="7"><input name="title" value="t">`)
    // What a browser does: a form's named fields shadow its properties (DOM clobbering).
    Object.defineProperty(f, 'id', { get: () => f.querySelector('input') })
    expect(JSON.stringify(collectForms(document.body))).toBe('{"f":{"id":"7","title":"t"}}')
  })
})
