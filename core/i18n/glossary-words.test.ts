import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../project-root.js';

/**
 * One word per concept (shared/GLOSSARY.md): the UI's words for the person who reported a ticket, the
 * person on a phone call and the customer (= the organisation). Every message file of the core and the
 * plugins is read; a forbidden synonym fails with the key, the text and the glossary's choice.
 */
interface Rule {
  concept: string;
  /** What the glossary says instead. */
  use: string;
  pattern: RegExp;
  /** Keys where the word is the right one (e.g. "Anrufer" for the person on a call). */
  allowedKeys?: RegExp;
}

const germanRules: readonly Rule[] = [
  { concept: 'requester (who reported the ticket)', use: 'Anfragender (portal role: Bedarfer)', pattern: /\bAnforderer\w*/ },
  { concept: 'requester (who reported the ticket)', use: 'Anfragender', pattern: /\b(Anfragesteller|Antragsteller|Meldende[rn]?|Melder)\w*/ },
  { concept: 'requester (who reported the ticket)', use: 'Anfragender; "Anrufer" only as a hint on the phone form, e.g. "Anfragender (Anrufer)"', pattern: /(?<!\()\bAnrufer\b(?!\))/, allowedKeys: /^connect\./ },
  { concept: 'person, never "Kunde"', use: 'Anfragender or Ansprechpartner ("Kunde" is the organisation)', pattern: /\bKundin(nen)?\b/ },
  { concept: 'person, never "Kunde"', use: 'Anfragender or Ansprechpartner ("Kunde" is the organisation)', pattern: /\b[Dd]er Kunde (hat|sieht|erhält|schreibt|schrieb|antwortet)\b/ },
  { concept: 'person, never "Kunde"', use: 'Anfragender or Ansprechpartner ("Kunde" is the organisation)', pattern: /\b[Ee]in Kunde (hat|schreibt|antwortet|bewertet)\b/ },
  { concept: 'person, never "Kunde"', use: 'den Anfragenden', pattern: /\b(an den Kunden|den Kunden an|rufen Sie den Kunden)\b/ },
  { concept: 'person, never "Kunde"', use: 'Antwort des Anfragenden', pattern: /\bKundenantwort\w*/ },
  { concept: 'status waiting', use: 'Support wartet / Rückfrage', pattern: /\bWartet auf Kunden\b/ },
];

const englishRules: readonly Rule[] = [
  { concept: 'requester (who reported the ticket)', use: 'requester', pattern: /\brequestors?\b/i },
  { concept: 'requester (who reported the ticket)', use: 'requester; "caller" only as a hint on the phone form, e.g. "Requester (caller)"', pattern: /(?<!\()\b[Cc]allers?\b(?!\))/, allowedKeys: /^connect\./ },
  { concept: 'person, never "customer"', use: 'requester or contact person ("customer" is the organisation)', pattern: /\b[Tt]he customer (answered|sees|gets|wrote|replied|no longer sees)\b/ },
  { concept: 'person, never "customer"', use: 'requester', pattern: /\b[Aa] customer (graded|answered|wrote)\b/ },
  { concept: 'person, never "customer"', use: 'the requester', pattern: /\b(to the customer(?! portal)|call the customer|[Aa]sk customer)\b/ },
  { concept: 'person, never "customer"', use: 'Requester reply', pattern: /\b[Cc]ustomer reply\b/ },
  { concept: 'status waiting', use: 'Support waits / Waiting for customer', pattern: /\bWaiting for the customer\b/ },
];

const SKIP = new Set(['node_modules', '.git', '.tmp', 'test']);

function messageFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...messageFiles(path));
    else if (/messages[^/]*\.ts$|-messages\.ts$/.test(entry.name) && !entry.name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

type Catalog = Record<string, string>;

/** Every `{ en, de }` pair (or a bare `en`/`de` export) a message file exports. */
async function catalogsOf(file: string): Promise<{ en: Catalog[]; de: Catalog[] }> {
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const en: Catalog[] = [];
  const de: Catalog[] = [];
  for (const [name, value] of Object.entries(mod)) {
    if (!value || typeof value !== 'object') continue;
    const pair = value as { en?: unknown; de?: unknown };
    if (pair.en && pair.de && typeof pair.en === 'object' && typeof pair.de === 'object') {
      en.push(pair.en as Catalog);
      de.push(pair.de as Catalog);
    } else if (name === 'en') en.push(value as Catalog);
    else if (name === 'de') de.push(value as Catalog);
  }
  return { en, de };
}

function offences(catalogs: readonly Catalog[], rules: readonly Rule[], file: string): string[] {
  const found: string[] = [];
  for (const catalog of catalogs) {
    for (const [key, text] of Object.entries(catalog)) {
      if (typeof text !== 'string') continue;
      for (const rule of rules) {
        if (rule.allowedKeys?.test(key)) continue;
        const hit = rule.pattern.exec(text);
        if (hit) found.push(`${file} ${key}: "${hit[0]}" (${rule.concept}: use ${rule.use})`);
      }
    }
  }
  return found;
}

describe('glossary words in the message files', () => {
  const root = projectRoot();
  const files = [...messageFiles(join(root, 'core')), ...messageFiles(join(root, 'plugins')), ...messageFiles(join(root, 'views'))];

  it('finds the message files of the core and of every plugin', () => {
    expect(files.length).toBeGreaterThan(30);
    for (const plugin of readdirSync(join(root, 'plugins'), { withFileTypes: true }).filter((e) => e.isDirectory())) {
      expect(files.some((f) => f.startsWith(join(root, 'plugins', plugin.name))), plugin.name).toBe(true);
    }
  });

  it('uses the glossary\'s German word for each concept', async () => {
    const found: string[] = [];
    for (const file of files) found.push(...offences((await catalogsOf(file)).de, germanRules, relative(root, file)));
    expect(found).toEqual([]);
  });

  it('uses the glossary\'s English word for each concept', async () => {
    const found: string[] = [];
    for (const file of files) found.push(...offences((await catalogsOf(file)).en, englishRules, relative(root, file)));
    expect(found).toEqual([]);
  });

  it('keeps the forbidden synonyms out of labels written in code (notification kinds, permissions, settings)', () => {
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (SKIP.has(entry.name)) continue;
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.includes('fixture')) sources.push(path);
      }
    };
    walk(join(root, 'core'));
    walk(join(root, 'plugins'));
    walk(join(root, 'views'));
    const unambiguous = [/\bAnforderer\w*/, /\bKundenantwort\w*/, /\bKundin(nen)?\b/, /\brequestors?\b/i, /['"]Customer reply['"]/];
    const found: string[] = [];
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of unambiguous) {
        const hit = pattern.exec(text);
        if (hit) found.push(`${relative(root, file)}: "${hit[0]}"`);
      }
    }
    expect(found).toEqual([]);
  });

  it('catches a forbidden synonym (the rules are not empty words)', () => {
    expect(offences([{ 'x.a': 'Anforderer: Max' }], germanRules, 'sample')).toHaveLength(1);
    expect(offences([{ 'x.b': 'Anrufer suchen' }], germanRules, 'sample')).toHaveLength(1);
    expect(offences([{ 'x.c': 'Anfragender (Anrufer) oder Kunde' }], germanRules, 'sample')).toEqual([]);
    expect(offences([{ 'connect.call.caller': 'Anrufer' }], germanRules, 'sample')).toEqual([]);
    expect(offences([{ 'x.d': 'Der Kunde hat geantwortet' }], germanRules, 'sample')).toHaveLength(1);
    expect(offences([{ 'x.e': 'Reply to the customer' }], englishRules, 'sample')).toHaveLength(1);
    expect(offences([{ 'x.f': 'Customer' }], englishRules, 'sample')).toEqual([]);
  });
});
