/** Realistic queries for the latency benchmark: topics users of these reports search for. */
export const TOPICS: readonly string[] = [
  'care leavers accommodation', 'private fostering', 'staying put', 'CAMHS waiting times', 'placement stability',
  'social worker turnover', 'agency staff', 'caseloads', 'management oversight', 'supervision of social workers',
  'child sexual exploitation', 'criminal exploitation county lines', 'missing from care', 'return home interviews',
  'domestic abuse', 'neglect', 'early help', 'front door', 'MASH', 'strategy meetings', 'section 47 enquiries',
  'child protection plans', 'children in need', 'pre-proceedings', 'public law outline', 'special guardianship',
  'adoption timeliness', 'foster carer recruitment', 'sufficiency of placements', 'unregistered children\'s homes',
  'unaccompanied asylum seeking children', 'disabled children', 'SEND', 'EHCP timescales', 'virtual school',
  'personal education plans', 'school exclusions', 'elective home education', 'children missing education',
  'youth offending', 'knife crime', 'gangs', 'substance misuse', 'mental health', 'self-harm', 'teenage pregnancy',
  'independent reviewing officers', 'LADO', 'allegations against staff', 'corporate parenting', 'children in care council',
  'pathway plans', 'personal advisers', 'NEET care leavers', 'care leavers in custody', 'homelessness 16 and 17 year olds',
  'private rented accommodation', 'bed and breakfast', 'overspend', 'budget pressures', 'workforce stability',
  'quality assurance audits', 'performance management', 'partnership working', 'health assessments', 'dental checks',
  'immunisations', 'life story work', 'contact with family', 'sibling placements', 'out of area placements',
  'residential care', 'kinship care', 'family group conferences', 'direct work with children', 'voice of the child',
  'advocacy', 'participation', 'racial disproportionality', 'cultural identity', 'female genital mutilation',
  'radicalisation prevent', 'online safety', 'trafficking', 'modern slavery', 'parental mental health',
  'learning from serious case reviews', 'thresholds', 'step down', 'child in need plans', 'assessment quality',
  'chronologies', 'covid-19 pandemic', 'cyber attack', 'recording systems', 'Ofsted focused visit', 'improvement plan',
];

const PHRASES = ['"staying put"', '"private fostering"', '"care leavers"', '"return home interviews"', '"special guardianship"'];
const FILTERS = ['council:hackney', 'year:2015..2019', 'type:ilacs', 'council:havering', 'year:2022..2024'];

/** 300 distinct queries: topics, topics with filters, phrases and question-style queries. */
export function benchQueries(): string[] {
  const out = new Set<string>();
  for (const t of TOPICS) out.add(t);
  TOPICS.forEach((t, i) => out.add(`${t} ${FILTERS[i % FILTERS.length]}`));
  TOPICS.forEach((t, i) => out.add(i % 2 === 0 ? `how good is ${t}` : `${PHRASES[i % PHRASES.length]} ${t.split(' ')[0]}`));
  TOPICS.forEach((t, i) => out.add(`${t} ${FILTERS[(i + 2) % FILTERS.length]}`));
  return [...out].slice(0, 300);
}
