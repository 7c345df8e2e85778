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

/** Every-mention counts and keyword totals checked at 10x against the single corpus (bench:scale10, bench:opensearch --counts-base). */
export const COUNT_CHECK_QUERIES: readonly string[] = [
  'care leavers', '"staying put"', 'private fostering', 'county lines', 'neglect', 'return home interviews', 'special guardianship',
  'agency social workers', 'corporate parenting', 'child sexual exploitation', '"looked after children"', 'signs of safety',
  'pre-proceedings', 'unregistered', 'domestic abuse -police',
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

/**
 * A long supply of distinct queries for load and soak runs, so no answer or query embedding can
 * come from a cache filled by an earlier identical query. Each is a topic with a second word,
 * phrase or topic, and one in four also a filter; order shuffled (fixed seed, so a run repeats)
 * so every stretch of the stream mixes kinds. About 150 000 before it runs out (then it throws).
 */
export function distinctQueries(): () => string {
  const words = [...new Set(TOPICS.flatMap((t) => t.toLowerCase().split(/\s+/)))].filter((w) => w.length > 3);
  const seconds = [...PHRASES, ...words, ...TOPICS];
  const seen = new Set<string>();
  const pools: string[][] = [[], []];
  for (const topic of TOPICS) {
    for (const second of seconds) {
      for (const filter of ['', ...FILTERS]) {
        const q = [topic, second, filter].filter((p) => p.length > 0).join(' ');
        const key = q.toLowerCase(); // distinct also to a cache that folds case
        if (second.toLowerCase() === topic.toLowerCase() || seen.has(key)) continue;
        seen.add(key);
        pools[filter ? 1 : 0]!.push(q);
      }
    }
  }
  let x = 20261124;
  const rnd = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  for (const pool of pools) {
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [pool[i], pool[j]] = [pool[j]!, pool[i]!];
    }
  }
  const [plain, filtered] = pools as [string[], string[]];
  let n = 0;
  return () => {
    const q = (n++ % 4 === 3 ? filtered.pop() ?? plain.pop() : plain.pop() ?? filtered.pop());
    if (q === undefined) throw new Error(`distinctQueries: all ${seen.size} distinct queries used`);
    return q;
  };
}
