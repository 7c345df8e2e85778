/** npm run search: the same cited results in a terminal, from the saved index. */
import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SearchResponse } from '../core/api-types.ts';
import { SearchEngine } from '../core/search.ts';
import { loadIndex } from '../server/load-index.ts';
import { ROOT, ensureCorpusIndex } from './helpers/corpus-index.ts';

let indexDir: string;
beforeAll(async () => {
  indexDir = await ensureCorpusIndex();
});

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/search-cli.ts', ...args], { cwd: ROOT, env: { ...process.env, INDEX_DIR: indexDir } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', fail);
    child.once('exit', (code) => ok({ code, stdout, stderr }));
  });
}

describe('npm run search', () => {
  it('prints the same results as the engine, as JSON and as cited text', async () => {
    const json = await run(['care leavers accommodation', '--mode', 'keyword', '--json']);
    expect(json.code).toBe(0);
    const res = JSON.parse(json.stdout) as SearchResponse;
    const engine = new SearchEngine(await loadIndex(indexDir), null);
    const direct = await engine.search({ q: 'care leavers accommodation', mode: 'keyword' });
    expect(res.results.map((r) => r.id)).toEqual(direct.results.map((r) => r.id));

    const text = await run(['"private fostering"', '--mode', 'keyword', '--limit', '3']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^\d+ results for ""private fostering"" \(keyword/m);
    expect(text.stdout).toContain('Ofsted, ');
    expect(text.stdout).toMatch(/-> \/doc\/[^#]+#p\d+/);
  });

  it('fails with a clear message and a non-zero exit for a bad mode', async () => {
    const bad = await run(['x', '--mode', 'fuzzy']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Query: --mode must be one of');
  });
});
