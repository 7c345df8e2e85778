/** Citations sent with every result and paragraph. */
import { describe, expect, it } from 'vitest';
import { citation } from '../core/citation.ts';

describe('citation', () => {
  const doc = { type: 'ilacs' as const, council: 'Hackney', title: "Inspection of Hackney local authority children's services", year: 2019 };
  it('cites Ofsted reports with year, paragraph and page', () => {
    expect(citation(doc, '29', 7)).toBe("Ofsted, Inspection of Hackney local authority children's services, 2019, para 29, p. 7");
    expect(citation(doc, null, null)).toBe("Ofsted, Inspection of Hackney local authority children's services, 2019");
    expect(citation(doc, '29-30', 7)).toContain('paras 29-30');
  });
  it('cites committee papers to the council', () => {
    expect(citation({ ...doc, type: 'committee', title: 'Scrutiny commission papers' }, null, 3)).toBe(
      'Hackney Council, Scrutiny commission papers, 2019, p. 3',
    );
  });
});
