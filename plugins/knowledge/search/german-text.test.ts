import { describe, expect, it } from 'vitest';
import { compoundTails, foldTerm, indexTerm, splitCompound } from './german-text.js';
import { highlight, segmentsToHtml, snippet } from './highlight.js';

describe('German text for the knowledge search', () => {
  it('folds case, umlauts (as letter and spelled out) and ß to one term', () => {
    expect(foldTerm('Drücker')).toBe('drucker');
    expect(foldTerm('Druecker')).toBe('drucker');
    expect(foldTerm('DRUCKER')).toBe('drucker');
    expect(foldTerm('Straße')).toBe('strasse');
    expect(foldTerm('Strasse')).toBe('strasse');
    expect(foldTerm('Größe')).toBe(foldTerm('Groesse'));
    expect(foldTerm('Café')).toBe('cafe');
    expect(foldTerm(foldTerm('Überprüfung'))).toBe(foldTerm('Überprüfung'));
  });

  it('drops stop words and single letters', () => {
    expect(indexTerm('Der')).toBeNull();
    expect(indexTerm('x')).toBeNull();
    expect(indexTerm('Treiber')).toBe('treiber');
  });

  it('splits a compound into known words, with a linking s', () => {
    const known = new Set(['drucker', 'treiber', 'versicherung', 'nummer', 'netz', 'werk']);
    const has = (part: string) => known.has(part);
    expect(splitCompound('druckertreiber', has)).toEqual(['drucker', 'treiber']);
    expect(splitCompound('versicherungsnummer', has)).toEqual(['versicherung', 'nummer']);
    expect(splitCompound('netzwerkdrucker', has)).toEqual(['netz', 'werk', 'drucker']);
    expect(splitCompound('druckerei', has)).toBeNull();
    expect(splitCompound('drucker', has)).toBeNull();
    // A word the index knows whole is still split, so its parts find entries that use them apart.
    expect(splitCompound('druckertreiber', (part) => has(part) || part === 'druckertreiber')).toEqual(['drucker', 'treiber']);
  });

  it('indexes the tails of long words so a part finds its compound', () => {
    expect(compoundTails('druckertreiber')).toContain('treiber');
    expect(compoundTails('drucker')).toEqual([]);
  });

  it('marks matches and escapes every piece as HTML', () => {
    const pieces = highlight('Der <b>Druckertreiber</b> & "Treiber"', ['treiber']);
    expect(pieces.filter((p) => p.mark).map((p) => p.text)).toEqual(['Druckertreiber', 'Treiber']);
    expect(segmentsToHtml(pieces)).toBe('Der &lt;b&gt;<mark>Druckertreiber</mark>&lt;/b&gt; &amp; &quot;<mark>Treiber</mark>&quot;');
    const long = `${'Wort '.repeat(80)}Treiber ${'Ende '.repeat(80)}`;
    const cut = snippet(long, ['treiber']);
    expect(cut.some((p) => p.mark && p.text === 'Treiber')).toBe(true);
    expect(cut.map((p) => p.text).join('').length).toBeLessThan(200);
  });
});
