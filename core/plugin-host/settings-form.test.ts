import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formValueOf, settingsFormFields, settingsFromForm, settingsWithDefaults } from './settings-form.js';

const schema = z.object({
  on: z.boolean().default(false),
  size: z.number().int().min(1).max(100).default(25),
  tag: z.string().max(40).default('[#{number}]'),
  intro: z.string().max(1000).default(''),
  mode: z.enum(['off', 'domains']).default('off'),
  pausing: z.array(z.enum(['new', 'open', 'waiting'])).default(['waiting']),
  domains: z.array(z.string()).default([]),
  groupId: z.number().int().positive().nullable().default(null),
  rules: z.array(z.object({ pattern: z.string() })).default([]),
}).refine((s) => s.size > 0);

describe('a plugin settings form', () => {
  it('offers each field by its kind and leaves references and lists of objects to the tenant', () => {
    expect(settingsFormFields(schema).map((f) => [f.key, f.kind, f.options])).toEqual([
      ['on', 'boolean', []], ['size', 'number', []], ['tag', 'text', []], ['intro', 'longText', []], ['mode', 'enum', ['off', 'domains']],
      ['pausing', 'enumSet', ['new', 'open', 'waiting']], ['domains', 'lines', []], ['groupId', 'elsewhere', []], ['rules', 'elsewhere', []],
    ]);
    expect(settingsFormFields(undefined)).toEqual([]);
  });

  it('reads the post over the current settings: what the form does not offer keeps its value', () => {
    const fields = settingsFormFields(schema);
    const current = { on: true, size: 25, tag: 'x', intro: '', mode: 'off', pausing: ['waiting'], domains: ['a.test'], groupId: 7, rules: [{ pattern: 'srv*' }] };
    const input = settingsFromForm(fields, { size: ' 30 ', tag: '[T#{number}]', intro: 'Hi', mode: 'domains', pausing: ['new', 'open'], domains: 'b.test\n\n c.test \n' }, current);
    expect(input).toEqual({ on: false, size: 30, tag: '[T#{number}]', intro: 'Hi', mode: 'domains', pausing: ['new', 'open'], domains: ['b.test', 'c.test'], groupId: 7, rules: [{ pattern: 'srv*' }] });
    expect(schema.safeParse(input).success).toBe(true);
    // Bad input is handed on as typed, for the schema to refuse at its field.
    const bad = settingsFromForm(fields, { size: 'many', mode: 'everyone' }, current);
    const result = schema.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path[0]).sort()).toEqual(['mode', 'size']);
  });

  it('shows stored values the way the form takes them back', () => {
    const [on, , , , , pausing, domains] = settingsFormFields(schema);
    expect(formValueOf(on!, true)).toBe('1');
    expect(formValueOf(pausing!, ['new'])).toEqual(['new']);
    expect(formValueOf(domains!, ['a.test', 'b.test'])).toBe('a.test\nb.test');
  });

  it('shows the defaults of settings never saved, and of a stored value that no longer fits', () => {
    expect(settingsWithDefaults(schema, {})).toEqual({ on: false, size: 25, tag: '[#{number}]', intro: '', mode: 'off', pausing: ['waiting'], domains: [], groupId: null, rules: [] });
    const stored = { on: true, size: 500, tag: '[T#{number}]', mode: 'gone', groupId: 7, retired: 'kept' };
    expect(settingsWithDefaults(schema, stored)).toEqual({ on: true, size: 25, tag: '[T#{number}]', intro: '', mode: 'off', pausing: ['waiting'], domains: [], groupId: 7, rules: [], retired: 'kept' });
    expect(settingsWithDefaults(undefined, { a: 1 })).toEqual({ a: 1 });
  });
});
