/**
 * Judgements (graded areas) as stated in each kind of report, with area names normalised to a
 * small fixed set per report type:
 * - ILACS (2018-): the judgement table at the top -> 'impact of leaders', 'help and protection',
 *   'children in care', 'care leavers' (or 'children in care and care leavers' in the 2018-19
 *   form), 'overall effectiveness'; grades 'outstanding' | 'good' | 'requires improvement to be good' | 'inadequate'.
 * - SIF (2013-17): the table under "Children's services in X are ..." -> 'children who need help and
 *   protection', 'children looked after and achieving permanence', 'adoption performance',
 *   'experiences and progress of care leavers', 'leadership, management and governance', plus
 *   'overall effectiveness' from that sentence and 'lscb' from "The Local Safeguarding Children Board is ...".
 * - SLAC (2009-13): "Overall effectiveness ... Grade 2 (Good)" and "Capacity for improvement ..." for
 *   the safeguarding and the looked after children parts -> 'safeguarding overall effectiveness',
 *   'safeguarding capacity for improvement', 'looked after children overall effectiveness',
 *   'looked after children capacity for improvement'; grades 'outstanding' | 'good' | 'adequate' | 'inadequate'.
 * - APA letters (2005-08): the "Grade awarded" / "Final judgements" table (grades '1'-'4') ->
 *   "children's services", 'education services', 'social care services', 'capacity to improve',
 *   and outcome rows such as 'being healthy' when the letter grades them.
 * - JAR (2005-09): the "Grades awarded" table, first column stated on each row -> 'being healthy',
 *   'staying safe', 'enjoying and achieving', 'making a positive contribution',
 *   'achieving economic well-being', 'service management', 'capacity to improve',
 *   "children's services", 'education service', 'social care services for children',
 *   'health service for children'; grades '1'-'4'.
 * All functions take the text with whitespace runs kept as they are (line structure matters for
 * tables in plain-text reports) and straight apostrophes.
 */
import type { Judgement, ReportType } from '../core/types.ts';

function normGrade(word: string): string {
  const w = word.replace(/\s+/g, ' ').trim().toLowerCase();
  return /^requires?\b|^improvement/.test(w) ? 'requires improvement to be good' : w;
}

interface AreaPattern {
  re: RegExp;
  area: string;
}

/**
 * Reads a judgement table that starts at the first match of `startRe`. Text extraction may put a
 * grade cell anywhere inside a wrapped area label ("The impact of leaders on social work practice
 * with children | Outstanding | and families"), or list labels and grades row by row or column by
 * column. So the grade words are taken out of the table lines in order, the remaining label text
 * is searched for the areas in order, and the two lists are paired. Reading stops at a prose line
 * or once `last` has been seen and every area has its grade.
 */
function readTable(text: string, startRe: RegExp, areas: AreaPattern[], last: string, gradeRe: RegExp): Judgement[] {
  const at = text.search(startRe);
  if (at < 0) return [];
  const from = text.lastIndexOf('\n', at) + 1;
  const lines = text
    .slice(from, from + 4000)
    .replace(/\b(Requires?)[ \t]*\n\s*([Ii]mprovement)/g, '$1 $2')
    .replace(/\b([Ii]mprovement)[ \t]*\n\s*(to be good)\b/g, '$1 $2')
    .split('\n');
  const grades: string[] = [];
  let labels = '';
  const gradeAll = new RegExp(`\\b(?:${gradeRe.source})\\b`, 'g');
  const areaAll = new RegExp(areas.map((a) => `(${a.re.source})`).join('|'), 'g');
  const found = (): string[] => {
    const out: string[] = [];
    // Leftovers of split grade cells ("improvement", "be good") are not part of any label.
    const clean = labels.replace(/\b(?:[Ii]mprovement|(?:to\s+)?be\s+good)\b/g, ' ').replace(/[\s|]+/g, ' ');
    for (const m of clean.matchAll(areaAll)) {
      const i = m.slice(1).findIndex((g) => g !== undefined);
      if (i >= 0) out.push(areas[i]!.area);
    }
    return out;
  };
  for (const [n, line] of lines.entries()) {
    if (n > 0 && line.length > 160) break;
    if (n > 30) break;
    labels += ` ${line.replace(gradeAll, (g) => {
      grades.push(normGrade(g));
      return ' ';
    })}`;
    const names = found();
    if (names.includes(last) && grades.length >= names.length) break;
  }
  const names = found();
  const out: Judgement[] = [];
  names.forEach((area, i) => {
    const grade = grades[i];
    if (grade !== undefined && !out.some((j) => j.area === area)) out.push({ area, grade });
  });
  return out;
}

// Grade words as printed in tables: capitalised, possibly broken over lines.
// A lone "Requires" counts: extraction sometimes splits "Requires | improvement" around the label.
const TABLE_GRADE = /Outstanding|Good|Requires?(?:\s+[Ii]mprovement(?:\s+to(?:\s+be\s+good)?)?)?|Inadequate/;

const ILACS_AREAS: AreaPattern[] = [
  { re: /The\s+impact\s+of\s+leaders\s+on\s+social\s+work\s+practice\s+with\s+children\s+and\s+families/, area: 'impact of leaders' },
  { re: /The\s+experiences\s+and\s+progress\s+of\s+children\s+who\s+need\s+help\s+and\s+protection/, area: 'help and protection' },
  { re: /The\s+experiences\s+and\s+progress\s+of\s+children\s+in\s+care\s+and\s+care\s+leavers/, area: 'children in care and care leavers' },
  { re: /The\s+experiences\s+and\s+progress\s+of\s+children\s+in\s+care/, area: 'children in care' },
  { re: /The\s+experiences\s+and\s+progress\s+of\s+care\s+leavers/, area: 'care leavers' },
  { re: /Overall\s+effectiveness/, area: 'overall effectiveness' },
];

const ILACS_START = /The\s+impact\s+of\s+leaders|The\s+experiences\s+and\s+progress\s+of/;

function ilacs(text: string): Judgement[] {
  return readTable(text.slice(0, 8000), ILACS_START, ILACS_AREAS, 'overall effectiveness', TABLE_GRADE);
}

const SIF_AREAS: AreaPattern[] = [
  { re: /Children\s+who\s+need\s+help\s+and\s+protection/, area: 'children who need help and protection' },
  { re: /Children\s+looked\s+(?:after\s+and\s+achieving\s+)?permanence/, area: 'children looked after and achieving permanence' },
  { re: /Adoption\s+performance/, area: 'adoption performance' },
  { re: /Experiences\s+and\s+progress\s+of\s+care\s+leavers/, area: 'experiences and progress of care leavers' },
  { re: /Leadership,?\s+management\s+and\s+governance/, area: 'leadership, management and governance' },
];

const SIF_OVERALL = [
  /Children's\s+services\s+in\s+(?:the\s+)?[A-Z][\w\s,'-]{1,80}?\s+(?:are|is|requires?)\s+(outstanding|good|inadequate|adequate|improvement\s+to\s+be\s+good)/,
  /The\s+overall\s+judgement\s+is\s+(?:that\s+)?(?:children's\s+services\s+)?(?:are\s+|is\s+)?(outstanding|good|inadequate|adequate|requires?\s+improvement|improvement)/i,
];
const SIF_TITLE = /inspection\s+of\s+services\s+for\s+children\s+in\s+need/i;
const SIF_START = /(?:1\.\s*)?Children\s+who\s+need\s+help\s+and\s+protection/;
const LSCB = /(?:effectiveness\s+of\s+the\s+|The\s+)Local\s+Safeguarding\s+Children\s+Board\s+(?:\(LSCB\)\s+)?(?:is\s+|are\s+)?(outstanding|good|inadequate|requires?\s+improvement(?:\s+to\s+be\s+good)?)/i;

function sif(text: string): Judgement[] {
  const out: Judgement[] = [];
  const head = text.slice(0, 8000);
  const overall = SIF_OVERALL.map((re) => re.exec(head)).filter((m) => m !== null).sort((a, b) => a.index - b.index)[0];
  if (overall) out.push({ area: 'overall effectiveness', grade: normGrade(overall[1]!) });
  const at = Math.max(0, head.search(SIF_TITLE));
  out.push(...readTable(head.slice(at), SIF_START, SIF_AREAS, 'leadership, management and governance', TABLE_GRADE));
  const lscb = LSCB.exec(text);
  if (lscb) out.push({ area: 'lscb', grade: normGrade(lscb[1]!) });
  return out;
}

const SLAC_GRADE = /(Overall\s+effectiveness|Capacity\s+(?:for|to)\s+improve(?:ment)?)((?:(?!Grade\s)[\s\S]){0,140}?)Grade\s+([1-4])\s*\((Outstanding|Good|Adequate|Inadequate)\)/g;

function slac(text: string): Judgement[] {
  const out: Judgement[] = [];
  const lacOnly = /Inspection\s+of\s+looked\s+after\s+children/i.test(text.slice(0, 1500));
  for (const m of text.matchAll(SLAC_GRADE)) {
    const label = m[1]!.toLowerCase().startsWith('overall') ? 'overall effectiveness' : 'capacity for improvement';
    const before = text.slice(0, m.index);
    const lacAt = Math.max(before.lastIndexOf('Services for looked after children'), before.lastIndexOf('looked after children and'));
    const sgAt = before.lastIndexOf('Safeguarding services');
    const part = lacOnly || /looked\s+after/i.test(m[2]!) || lacAt > sgAt ? 'looked after children' : 'safeguarding';
    const area = `${part} ${label}`;
    if (!out.some((j) => j.area === area)) out.push({ area, grade: m[4]!.toLowerCase() });
  }
  return out;
}

const APA_ROWS: AreaPattern[] = [
  { re: /contribution\s+of\s+(?:the\s+)?(?:local\s+authority's\s+|council's\s+)?children's\s+services/i, area: "children's services" },
  { re: /contribution\s+of\s+(?:the\s+)?(?:local\s+authority's\s+|council's\s+)?education\s+services/i, area: 'education services' },
  { re: /contribution\s+of\s+(?:the\s+)?(?:local\s+authority's\s+|council's\s+)?social\s+care\s+services/i, area: 'social care services' },
  { re: /overall\s+capacity\s+to\s+improve/i, area: 'capacity to improve' },
];

const OUTCOME_ROWS: Array<[RegExp, string]> = [
  [/being\s+healthy/i, 'being healthy'],
  [/staying\s+safe/i, 'staying safe'],
  [/enjoying\s+and\s+achieving/i, 'enjoying and achieving'],
  [/making\s+a\s+positive\s+contribution/i, 'making a positive contribution'],
  [/achieving\s+economic\s+well-?\s*being/i, 'achieving economic well-being'],
  [/service\s+management/i, 'service management'],
  [/capacity\s+to\s+improve/i, 'capacity to improve'],
  [/children's\s+services/i, "children's services"],
  [/the\s+education\s+service/i, 'education service'],
  [/the\s+social\s+care\s+services\s+for\s+children/i, 'social care services for children'],
  [/the\s+health\s+service\s+for\s+children/i, 'health service for children'],
];

/** Table rows "Area<tab or spaces>3" on one line: the first grade on the row. */
function gradeRows(region: string, rows: Array<[RegExp, string]>, out: Judgement[]): void {
  for (const line of region.split('\n')) {
    const m = /^\s*([A-Za-z][A-Za-z' ,-]+?)[\s|]+([1-4])(?:[\s|]+[1-4])*\s*$/.exec(line);
    if (!m) continue;
    const label = m[1]!.trim();
    const row = rows.find(([re]) => new RegExp(`^(?:${re.source})$`, 'i').test(label));
    if (row && !out.some((j) => j.area === row[1])) out.push({ area: row[1], grade: m[2]! });
  }
}

function apa(text: string): Judgement[] {
  const out: Judgement[] = [];
  const plain = text.replace(/<\/?i>/g, '');
  for (const row of APA_ROWS) {
    const re = new RegExp(`${row.re.source}[^0-9\\n]{0,200}?[.\\s|]([1-4])\\s*(?:\\n|$)`, 'gi');
    const m = re.exec(plain);
    if (m) out.push({ area: row.area, grade: m[1]! });
  }
  gradeRows(plain, OUTCOME_ROWS.slice(0, 5), out);
  return out;
}

function jar(text: string): Judgement[] {
  const at = text.search(/Grades\s+awarded|^Grades\s*$/m);
  if (at < 0) return [];
  const out: Judgement[] = [];
  gradeRows(text.slice(at, at + 3000), OUTCOME_ROWS, out);
  return out;
}

/** The judgements a report of `type` states, in report order; [] when none are found. */
export function extractJudgements(type: ReportType, text: string): Judgement[] {
  switch (type) {
    case 'ilacs':
      return ilacs(text);
    case 'sif':
      return sif(text);
    case 'slac':
      return slac(text);
    case 'apa':
      return apa(text);
    case 'jar':
      return jar(text);
    default:
      return [];
  }
}
