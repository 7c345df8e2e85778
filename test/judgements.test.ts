/** Judgement areas common to the frameworks, grades with aliases, and the judgement filter value. */
import { describe, expect, it } from 'vitest';
import { areaKeys, gradesByArea, judgementMatches, paragraphAreas } from '../core/judgements.ts';

const sif = [
  { area: 'overall effectiveness', grade: 'requires improvement to be good' },
  { area: 'children looked after and achieving permanence', grade: 'good' },
  { area: 'experiences and progress of care leavers', grade: 'inadequate' },
  { area: 'leadership, management and governance', grade: 'good' },
];
const ilacs2018 = [
  { area: 'impact of leaders', grade: 'good' },
  { area: 'children in care and care leavers', grade: 'outstanding' },
  { area: 'overall effectiveness', grade: 'good' },
];

describe('judgement areas', () => {
  it('maps each framework\'s area names to the common areas', () => {
    expect(areaKeys('children looked after and achieving permanence')).toEqual(['children-in-care']);
    expect(areaKeys('children in care and care leavers')).toEqual(['children-in-care', 'care-leavers']);
    expect(areaKeys('experiences and progress of care leavers')).toEqual(['care-leavers']);
    expect(areaKeys('leadership, management and governance')).toEqual(['leaders']);
    expect(areaKeys('looked after children overall effectiveness')).toEqual(['children-in-care']);
    expect(areaKeys('looked after children capacity for improvement')).toEqual([]);
    expect(areaKeys("children's services")).toEqual([]);
  });

  it('gives each common area its grade, aliases folded', () => {
    expect(gradesByArea(sif)).toEqual({ overall: 'requires improvement', 'children-in-care': 'good', 'care-leavers': 'inadequate', leaders: 'good' });
    expect(gradesByArea(ilacs2018)).toEqual({ leaders: 'good', 'children-in-care': 'outstanding', 'care-leavers': 'outstanding', overall: 'good' });
  });

  it('reads the area of a paragraph from its innermost section heading that names one', () => {
    expect(paragraphAreas(['The local authority', 'The experiences and progress of care leavers: good'])).toEqual(['care-leavers']);
    expect(paragraphAreas(['The local authority', 'The experiences and progress of children looked after and achieving permanence', 'Inspection findings'])).toEqual(['children-in-care']);
    expect(paragraphAreas(['What needs to improve'])).toEqual([]);
  });
});

describe('judgement filter values', () => {
  it('matches a grade in any area, or in one area by its words or its common area', () => {
    expect(judgementMatches(sif, 'inadequate')).toBe(true);
    expect(judgementMatches(sif, 'outstanding')).toBe(false);
    expect(judgementMatches(sif, 'requires improvement')).toBe(true);
    expect(judgementMatches(sif, 'ri')).toBe(true);
    expect(judgementMatches(sif, 'care leavers:inadequate')).toBe(true);
    expect(judgementMatches(sif, 'care leavers:good')).toBe(false);
    // "children in care" finds the single inspection's "children looked after".
    expect(judgementMatches(sif, 'children in care:good')).toBe(true);
    expect(judgementMatches(ilacs2018, 'care leavers:outstanding')).toBe(true);
    expect(judgementMatches(ilacs2018, 'care-leavers:outstanding')).toBe(true);
  });

  it('takes alternative grades', () => {
    expect(judgementMatches(sif, 'care leavers:good|outstanding')).toBe(false);
    expect(judgementMatches(ilacs2018, 'care leavers:good|outstanding')).toBe(true);
    expect(judgementMatches(sif, 'overall effectiveness:good|requires improvement')).toBe(true);
  });
});
