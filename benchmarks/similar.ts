/**
 * npx tsx benchmarks/similar.ts [INDEX_DIR] [--limit N]: "practice like this elsewhere" on 20
 * paragraphs picked deterministically across topics (for each topic, the best keyword result of
 * its query), printing each source paragraph and its top results (council, year, section, the
 * start of the text) as Markdown for judging by reading (docs/relevance.md), and the time per call.
 */
import { resolve } from 'node:path';
import { SearchEngine } from '../core/search.ts';
import { loadIndex } from '../server/load-index.ts';
import { cliArgs } from '../scripts/cli.ts';

const USAGE = `usage: npx tsx benchmarks/similar.ts [INDEX_DIR] [--limit N] [--full] [--http URL]
The nearest paragraphs of other councils for 20 paragraphs across topics (default index
data/scale), as Markdown for judging by reading.
  --limit N    results per paragraph (default 10)
  --full       whole texts (to judge by reading), not their starts
  --http URL   also time GET URL/api/similar for each paragraph (a server on the same index),
               5 rounds, and print p50/p95
  -h, --help   show this help`;

/** One query per topic; the source paragraph is its best keyword result in an inspection report. */
export const TOPICS = [
  'care leavers suitable accommodation',
  'private fostering arrangements',
  'return home interviews missing children',
  'child sexual exploitation risk',
  'social worker caseloads manageable',
  'management oversight supervision',
  'pre-birth assessment',
  'neglect graded care profile',
  'domestic abuse MARAC',
  'adoption early permanence',
  'unaccompanied asylum-seeking children',
  'children missing education',
  'special guardianship support',
  'disabled children short breaks',
  'initial health assessments timeliness',
  'placement sufficiency strategy',
  'local authority designated officer allegations',
  'corporate parenting board',
  'children in care council participation',
  'pathway plans',
];

async function main(): Promise<void> {
  const { positionals, values } = cliArgs(USAGE, { options: { limit: { type: 'string' }, full: { type: 'boolean' }, http: { type: 'string' } }, allowPositionals: true });
  const index = await loadIndex(resolve(positionals[0] ?? resolve(import.meta.dirname, '..', 'data', 'scale')));
  const engine = new SearchEngine(index, null);
  const limit = Number(values.limit ?? 10);
  const cut = (text: string, n: number): string => (values.full ? text : text.slice(0, n)).replace(/\s+/g, ' ');
  const times: number[] = [];
  const ids: string[] = [];
  for (const [i, topic] of TOPICS.entries()) {
    const res = await engine.search({ q: topic, mode: 'keyword', limit: 10, filters: { type: ['ilacs', 'sif'] }, understand: false });
    const src = res.results.find((r) => r.text.split(/\s+/).length >= 30) ?? res.results[0];
    if (!src) {
      console.log(`### ${i + 1}. ${topic}: no paragraph\n`);
      continue;
    }
    ids.push(src.id);
    const t0 = performance.now();
    const sim = await engine.similar({ id: src.id, limit });
    times.push(performance.now() - t0);
    console.log(`### ${i + 1}. ${topic}\n`);
    console.log(`Source: ${src.citation} (${src.section.at(-1) ?? ''}); areas: ${sim.areas.map((a) => a.label).join(', ') || '-'}; near-identical copies left out: ${sim.nearIdentical}\n`);
    console.log(`> ${cut(src.text, 400)}\n`);
    sim.results.forEach((r, k) => {
      console.log(`${k + 1}. ${r.score.toFixed(3)} ${r.doc.council} ${r.doc.year} [${r.section.at(-1)?.slice(0, 60) ?? ''}]${r.duplicates > 1 ? ` (x${r.duplicates})` : ''}: ${cut(r.text, 260)}`);
    });
    console.log('');
  }
  times.sort((a, b) => a - b);
  console.log(`time per call: median ${times[Math.floor(times.length / 2)]!.toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms over ${times.length} paragraphs`);
  if (values.http) {
    const http: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const id of ids) {
        const t0 = performance.now();
        const res = await fetch(`${values.http}/api/similar?id=${encodeURIComponent(id)}&limit=${limit}`);
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`GET /api/similar for ${id}: HTTP ${res.status}`);
        http.push(performance.now() - t0);
      }
    }
    http.sort((a, b) => a - b);
    const at = (q: number): string => http[Math.min(http.length - 1, Math.floor(q * http.length))]!.toFixed(1);
    console.log(`GET /api/similar over HTTP: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${http.at(-1)!.toFixed(1)} ms (${http.length} requests: the ${ids.length} paragraphs x 5)`);
  }
}

await main();
