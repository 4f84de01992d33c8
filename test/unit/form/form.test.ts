import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineForm, type StandardSchema } from '../../../framework/index.ts'

const account = defineForm(
  z.object({
    name: z.string().trim().min(2, 'at least 2 characters'),
    email: z.email('not an email address'),
    address: z.object({ city: z.string().min(1, 'city needed') }).optional(),
  }),
)

describe('defineForm', () => {
  it('starts empty with nothing shown', () => {
    const form = account.empty()
    expect([form.value('name'), form.error('name'), form.isValid, form.data]).toEqual(['', null, false, null])
  })

  it('shows an error only for the fields the user touched, and keeps every value as typed', async () => {
    let form = await account.change({ _target: 'name', name: 'A', email: '' })
    expect(form.errors).toEqual({ name: 'at least 2 characters', email: 'not an email address' })
    expect(form.error('name')).toBe('at least 2 characters')
    expect(form.error('email')).toBeNull()
    expect(form.value('name')).toBe('A')
    form = await account.change({ _target: 'email', name: 'A', email: 'ada@' }, form)
    expect(form.touched).toEqual(['name', 'email'])
    expect(form.error('email')).toBe('not an email address')
    form = await account.change({ _target: 'name', name: 'Ada', email: 'ada@example.com' }, form)
    expect([form.error('name'), form.error('email'), form.isValid]).toEqual([null, null, true])
    expect(form.data).toEqual({ name: 'Ada', email: 'ada@example.com' })
  })

  it('shows every error after a submit, and hands over the parsed data when valid', async () => {
    const refused = await account.submit({ name: '', email: '' })
    expect([refused.submitted, refused.error('name'), refused.error('email'), refused.data]).toEqual([
      true,
      'at least 2 characters',
      'not an email address',
      null,
    ])
    const accepted = await account.submit({ name: '  Ada ', email: 'ada@example.com' })
    expect(accepted.data).toEqual({ name: 'Ada', email: 'ada@example.com' })
    expect(accepted.value('name')).toBe('  Ada ')
  })

  it('names nested fields by path', async () => {
    const form = await account.submit({ name: 'Ada', email: 'ada@example.com', address: { city: '' } })
    expect(form.error('address.city')).toBe('city needed')
  })

  it('never holds more touched names than the last message sent, whatever the client invents', async () => {
    let form = account.empty()
    for (let i = 0; i < 300; i++) {
      form = await account.change({ _target: `junk-${i}`, [`junk-${i}`]: 'x', name: 'A' }, form)
      form = await account.change({ _target: 'constructor', name: 'A' }, form)
    }
    form = await account.change({ _target: 'name', name: 'A' }, form)
    expect(form.touched).toEqual(['name'])
    expect(Object.keys(form.values)).toEqual(['name'])
  })

  it('recovers a form the browser sent on rejoin: values kept, errors shown for what was filled in', async () => {
    const form = await account.recover({ name: 'A', email: '' })
    expect([form.value('name'), form.error('name'), form.error('email')]).toEqual(['A', 'at least 2 characters', null])
    expect((await account.recover(undefined)).values).toEqual({})
  })

  it('reads repeated fields as lists and takes schemas that validate asynchronously', async () => {
    const tags: StandardSchema<{ tags: string[] }> = {
      '~standard': {
        version: 1,
        vendor: 'hand-made',
        validate: async (value) => {
          const list = [(value as { tags?: unknown }).tags ?? []].flat().map(String)
          return list.length > 0 ? { value: { tags: list } } : { issues: [{ message: 'pick one', path: ['tags'] }] }
        },
      },
    }
    const form = defineForm(tags)
    const picked = await form.submit({ tags: ['a', 'b'] })
    expect([picked.list('tags'), picked.value('tags'), picked.data]).toEqual([['a', 'b'], 'a', { tags: ['a', 'b'] }])
    expect((await form.submit({})).error('tags')).toBe('pick one')
    expect((await form.change('not an object')).values).toEqual({})
  })
})
