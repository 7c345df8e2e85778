/**
 * Query sets for the scale benchmarks (benchmarks/scale.ts), generated deterministically (fixed
 * seed) from the chunk texts of the index, so there are as many distinct queries as a benchmark
 * needs and none of them is an evaluation query:
 *
 * short    1-6 words as users type them (a council name may add more): the hand-written topics of benchmarks/queries.ts and
 *          more of the domain, word pairs and triples frequent in the reports ("placement
 *          stability", "quality of practice"), single mid-frequency words, and topics with a
 *          council named.
 * natural  long natural-language sentences: a sentence of a report, cut to a window of 10-20
 *          words, lower-cased, reworded with everyday words (local authority -> council,
 *          placement -> home, ...), some small words dropped, sometimes led by "why" or
 *          "inspectors found that" - paraphrase-like, as in the known-item set, but generated.
 *
 * `querySets` returns `sets` disjoint lists of `perSet` queries of each kind: every query of
 * every list is distinct from every other, so a benchmark can send each list once to the same
 * server process and never repeat a query to it.
 */
import { isStopWord } from '../core/stopwords.ts';
import { TOPICS } from './queries.ts';

/** More short topics of the domain, beyond benchmarks/queries.ts. */
const MORE_TOPICS = [
  'looked after children', 'child protection conferences', 'initial child protection conference', 'core groups',
  'escalation', 'drift and delay', 'permanence planning', 'long-term fostering', 'connected carers', 'staying close',
  'adolescents at risk', 'contextual safeguarding', 'exploitation hub', 'missing children', 'children at risk of exploitation',
  'pre-birth assessments', 'parenting assessments', 'court work', 'care proceedings', 'section 20',
  'voluntary accommodation', 'legal gateway', 'placement with parents', 'regulation 24', 'fostering panel',
  'adoption panel', 'regional adoption agency', 'early permanence', 'fostering for adoption', 'adoption support',
  'special educational needs', 'attendance', 'attainment of children in care', 'pupil premium', 'designated teachers',
  'health of children in care', 'strengths and difficulties questionnaire', 'emotional wellbeing', 'speech and language',
  'leaving care', 'local offer for care leavers', 'council tax exemption', 'apprenticeships', 'university',
  'semi-independent accommodation', 'supported lodgings', 'emergency duty team', 'out of hours service', 'police protection',
  'multi-agency safeguarding hub', 'referral rates', 're-referrals', 'contacts and referrals', 'threshold document',
  'signs of safety', 'restorative practice', 'practice model', 'social work academy', 'newly qualified social workers',
  'ASYE', 'recruitment and retention', 'vacancy rate', 'sickness absence', 'caseload sizes', 'team managers',
  'principal social worker', 'director of children\'s services', 'lead member', 'chief executive', 'scrutiny',
  'local safeguarding children board', 'safeguarding partnership', 'serious case review', 'child safeguarding practice review',
  'audit programme', 'performance data', 'management information', 'case file audits', 'learning culture',
  'disabled children\'s team', 'short breaks', 'transition to adult services', 'young carers', 'privately fostered children',
  'homeless young people', 'joint housing protocol', 'youth justice', 'remand', 'custody', 'children in custody',
  'sexually harmful behaviour', 'honour based violence', 'forced marriage', 'online abuse', 'sexting',
  'female genital mutilation', 'radicalisation', 'domestic violence', 'toxic trio', 'parental substance misuse',
  'neglect strategy', 'graded care profile', 'chronic neglect', 'early help assessment', 'troubled families',
];

const FILLER = new Set(['said', 'also', 'would', 'could', 'may', 'must', 'shall', 'within', 'across', 'including', 'however', 'therefore', 'page', 'http', 'https', 'www', 'gov', 'ofsted', 'org', 'uk', 'hmi']);

/** Everyday rewordings for the natural-language queries (applied to whole words, lower case). */
const REWORD: Array<[RegExp, string]> = ([
  ['local authority', 'council'], ['local authorities', 'councils'], ['social workers', 'caseworkers'], ['social worker', 'caseworker'],
  ['young people', 'teenagers'], ['senior leaders', 'bosses'], ['senior managers', 'management'], ['the majority of', 'most'],
  ['a number of', 'some'], ['placements', 'homes'], ['placement', 'home'], ['foster carers', 'foster parents'], ['carers', 'foster parents'],
  ['effective', 'working well'], ['timely', 'quick'], ['ensure', 'make sure'], ['ensures', 'makes sure'], ['however', 'but'],
  ['improve', 'get better'], ['improved', 'got better'], ['inconsistent', 'patchy'], ['consistently', 'reliably'],
  ['assessments', 'evaluations'], ['assessment', 'evaluation'], ['support', 'help'], ['supported', 'helped'], ['identified', 'spotted'],
  ['appropriate', 'suitable'], ['sufficient', 'enough'], ['significant', 'big'], ['demonstrate', 'show'], ['recorded', 'written down'],
  ['delays', 'hold-ups'], ['delay', 'hold-up'], ['partners', 'partner agencies'], ['strategy', 'plan'], ['practitioners', 'staff'],
  ['children', 'kids'], ['risk', 'danger'], ['families', 'parents'], ['commissioned', 'paid for'], ['undertaken', 'done'],
] as Array<[string, string]>).map(([from, to]) => [new RegExp(`(?<![\\w'-])${from}(?![\\w'-])`, 'g'), to]);

const LEADS = [
  'inspectors found that', 'why', 'how', 'reports where', 'evidence that', 'councils where', 'examples of', 'is it true that',
  'report saying', 'concerns that',
];

/** mulberry32: a small deterministic generator. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

const WORD = /[a-z](?:[a-z'-]*[a-z])?/g;

function wordsIn(text: string): string[] {
  return text.toLowerCase().replace(/’/g, "'").match(WORD) ?? [];
}

function content(w: string): boolean {
  return w.length >= 3 && !isStopWord(w) && !FILLER.has(w) && !w.includes("'");
}

/** Most frequent first, ties by text; only those seen at least `min` times. */
function ranked(counts: Map<string, number>, min: number, max = Infinity): string[] {
  return [...counts].filter(([, n]) => n >= min && n <= max).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([s]) => s);
}

function shortPool(texts: string[], councils: string[], random: () => number): string[] {
  const bi = new Map<string, number>();
  const tri = new Map<string, number>();
  const uni = new Map<string, number>();
  for (const text of texts) {
    const w = wordsIn(text);
    for (let i = 0; i < w.length; i++) {
      const a = w[i]!;
      if (!content(a)) continue;
      if (a.length >= 6) uni.set(a, (uni.get(a) ?? 0) + 1);
      const b = w[i + 1];
      if (b && content(b)) bi.set(`${a} ${b}`, (bi.get(`${a} ${b}`) ?? 0) + 1);
      const c = w[i + 2];
      if (b && c && content(c) && (b === 'of' || b === 'and' || b === 'for' || b === 'in' || content(b))) {
        tri.set(`${a} ${b} ${c}`, (tri.get(`${a} ${b} ${c}`) ?? 0) + 1);
      }
    }
  }
  const hand = shuffle([...new Set([...TOPICS, ...MORE_TOPICS].map((t) => t.toLowerCase()))], random);
  const bigrams = shuffle(ranked(bi, 8).slice(0, 4000), random);
  const trigrams = shuffle(ranked(tri, 6).slice(0, 3000), random);
  const singles = shuffle(ranked(uni, 20, 3000).slice(0, 3000), random);
  const withCouncil = shuffle(hand, random).map((t) => `${t} ${councils[Math.floor(random() * councils.length)] ?? ''}`.trim().toLowerCase());
  // Ten slots: 2 hand-written topics, 4 pairs, 2 triples, 1 single word, 1 topic with a council.
  const pattern = [hand, bigrams, trigrams, bigrams, singles, hand, bigrams, withCouncil, trigrams, bigrams];
  const cursors = new Map<string[], number>();
  const out: string[] = [];
  for (let round = 0; out.length < 40_000; round++) {
    let took = false;
    for (const list of pattern) {
      const i = cursors.get(list) ?? 0;
      if (i >= list.length) continue;
      cursors.set(list, i + 1);
      out.push(list[i]!);
      took = true;
    }
    if (!took) break;
  }
  return out;
}

function naturalQuery(sentence: string, random: () => number): string | null {
  let s = sentence.toLowerCase().replace(/’/g, "'").replace(/\([^)]*\)/g, ' ');
  s = s.replace(/[^a-z0-9' -]+/g, ' ').replace(/(^| )[-']+/g, ' ').replace(/[-']+( |$)/g, ' ');
  let words = s.split(/\s+/).filter(Boolean);
  if (words.length < 12) return null;
  if (words.filter((w) => /\d/.test(w)).length > 2) return null;
  const size = 10 + Math.floor(random() * 11);
  const start = words.length > size ? Math.floor(random() * Math.min(words.length - size, 8)) : 0;
  words = words.slice(start, start + size);
  let q = ` ${words.join(' ')} `;
  for (const [re, to] of REWORD) if (random() < 0.7) q = q.replace(re, to);
  words = q.split(/\s+/).filter((w) => w && !(['the', 'a', 'an', 'that', 'which'].includes(w) && random() < 0.3));
  if (words.length > 0 && ['and', 'or', 'but', 'of', 'to', 'in', 'for', 'with'].includes(words[0]!)) words.shift();
  const r = random();
  const text = (r < 0.35 ? `${LEADS[Math.floor(random() * LEADS.length)]} ${words.join(' ')}` : words.join(' ')).trim();
  if (text.split(' ').length < 8 || text.length > 300) return null;
  return text;
}

function naturalPool(texts: string[], random: () => number, want: number): string[] {
  const out: string[] = [];
  const order = shuffle(texts.map((_, i) => i), random);
  for (const i of order) {
    if (out.length >= want) break;
    const sentences = texts[i]!.split(/(?<=[.!?])\s+/).filter((x) => x.split(/\s+/).length >= 12 && x.split(/\s+/).length <= 60);
    if (sentences.length === 0) continue;
    const q = naturalQuery(sentences[Math.floor(random() * sentences.length)]!, random);
    if (q) out.push(q);
  }
  return out;
}

export interface QuerySets {
  /** `sets` disjoint lists of short queries. */
  short: string[][];
  /** `sets` disjoint lists of natural-language queries. */
  natural: string[][];
  seed: number;
}

/**
 * Disjoint query lists from the chunk texts (duplicates of a text count once, so a replicated
 * index gives the same queries as its original). `exclude` lists queries that must not appear
 * (the server's own warm-up query, start-up probes, evaluation queries).
 */
export function querySets(
  chunkTexts: readonly string[],
  councils: readonly string[],
  options: { perSet: number; sets: number; seed?: number; exclude?: Iterable<string> },
): QuerySets {
  const seed = options.seed ?? 20261124;
  const texts = [...new Set(chunkTexts)];
  const councilList = [...new Set(councils.map((c) => c.toLowerCase()))].sort();
  const seen = new Set([...(options.exclude ?? [])].map((q) => q.trim().toLowerCase()));
  const take = (pool: string[], kind: string): string[][] => {
    const lists: string[][] = Array.from({ length: options.sets }, () => []);
    let i = 0;
    for (const q of pool) {
      if (lists.every((l) => l.length >= options.perSet)) break;
      const key = q.trim().toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      lists[i % options.sets]!.push(q);
      i++;
    }
    if (lists.some((l) => l.length < options.perSet)) throw new Error(`queries: only ${i} distinct ${kind} queries; ${options.perSet * options.sets} needed`);
    return lists;
  };
  const short = take(shortPool(texts, councilList, rng(seed)), 'short');
  const natural = take(naturalPool(texts, rng(seed + 1), options.perSet * options.sets * 2 + 200), 'natural-language');
  return { short, natural, seed };
}
