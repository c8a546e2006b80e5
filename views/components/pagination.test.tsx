import { describe, expect, it } from 'vitest';
import { createCatalog } from '../../core/i18n/translate.js';
import { de } from '../../core/i18n/messages-de.js';
import { en } from '../../core/i18n/messages-en.js';
import { Pagination } from './pagination.js';

const t = createCatalog([{ en, de }]).translator('en');
const link = (page: number) => `?page=${page}`;

describe('Pagination', () => {
  it('counts pages when the total is exact', () => {
    const html = String(<Pagination page={2} pageSize={25} total={60} t={t} link={link} />);
    expect(html).toContain('60 in total');
    expect(html).toContain('Page 2 of 3');
    expect(html).toContain('href="?page=3"');
  });

  it('reads "more than" and keeps a next link while pages are full when the count stopped at a cap', () => {
    const full = String(<Pagination page={40} pageSize={25} total={1000} capped rowsOnPage={25} t={t} link={link} />);
    expect(full).toContain('more than 1000');
    expect(full).toContain('href="?page=41"');
    expect(full).not.toContain(' of ');
    const last = String(<Pagination page={57} pageSize={25} total={1000} capped rowsOnPage={3} t={t} link={link} />);
    expect(last).not.toContain('rel="next"');
  });
});
