/**
 * English stop words for the keyword index: words too common to carry meaning in a query.
 * Applied by normalizeTerm (core/keyword-options.ts) to the lowercased, diacritic-folded token
 * BEFORE stemming, on both the indexing and the query side, so the two always agree.
 *
 * Base: the NLTK English list (179 words, itself close to the Snowball list), minus words that
 * matter in children's services reports:
 * - "after": "looked after children" is the key phrase of the domain ("looked after" is also
 *   the adjective in "looked after status", "after care"). Keeping it lets phrase checks tell
 *   "looked after children" from "looked at children". It is common, so BM25 gives it little
 *   weight; the thesaurus maps the whole phrase to LAC / CLA / children in care anyway.
 * - "not", "no", "nor": "not in education, employment or training" (NEET) must not normalise to
 *   the same terms as "in education, employment or training" (EET); "no further action" (NFA);
 *   inspection findings are often negative ("not good enough", "not consistently").
 * - "out", "off": "out of hours", "out of area placements", "out of school settings",
 *   "kicked out", "signed off".
 * - "over", "under", "against", "before": "under 18", "over 16s", "violence against women and
 *   girls", "pre-birth / before birth". Rare enough that keeping them costs nothing.
 * - "being": "well-being" tokenises to "well" + "being"; dropping "being" would leave a bare
 *   "well" ("as well as") that cannot be told from the concept.
 * - "own": "own home", "staying put in their own homes"; "only": "only child".
 * Never on the list, though some longer lists have them: care, help, need, needs, looked,
 * children, young, people, support, early, home, family, services.
 * NLTK's contraction fragments ("don", "isn", "ll", "ve", ...) stay: the tokenizer splits
 * "don't" into "don" + "t".
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'i', 'me', 'my', 'myself', 'we', 'our', 'ours', 'ourselves', 'you', 'your', 'yours',
  'yourself', 'yourselves', 'he', 'him', 'his', 'himself', 'she', 'her', 'hers', 'herself',
  'it', 'its', 'itself', 'they', 'them', 'their', 'theirs', 'themselves', 'what', 'which',
  'who', 'whom', 'this', 'that', 'these', 'those', 'am', 'is', 'are', 'was', 'were', 'be',
  'been', 'have', 'has', 'had', 'having', 'do', 'does', 'did', 'doing', 'a', 'an', 'the',
  'and', 'but', 'if', 'or', 'because', 'as', 'until', 'while', 'of', 'at', 'by', 'for',
  'with', 'about', 'between', 'into', 'through', 'during', 'above', 'below', 'to', 'from',
  'up', 'down', 'in', 'on', 'again', 'further', 'then', 'once', 'here', 'there', 'when',
  'where', 'why', 'how', 'all', 'any', 'both', 'each', 'few', 'more', 'most', 'other', 'some',
  'such', 'same', 'so', 'than', 'too', 'very', 's', 't', 'can', 'will', 'just', 'don',
  'should', 'now', 'd', 'll', 'm', 'o', 're', 've', 'y', 'ain', 'aren', 'couldn', 'didn',
  'doesn', 'hadn', 'hasn', 'haven', 'isn', 'ma', 'mightn', 'mustn', 'needn', 'shan', 'shouldn',
  'wasn', 'weren', 'won', 'wouldn',
  // A few additions common in report prose that no query needs on its own (not "may": the month).
  'also', 'would', 'could', 'might', 'must', 'shall', 'within', 'upon', 'via', 'whether',
  'yet', 'however', 'therefore', 'thus', 'etc', 'ie', 'eg',
]);

/** True when the (lowercased, folded) token is a stop word. */
export function isStopWord(token: string): boolean {
  return STOP_WORDS.has(token);
}
