/**
 * The OpenSearch index layout: one index per build (named `<alias>-<build id>-<time>`) behind an
 * alias, holding three kinds of record - a document (metadata, text, paragraph and chunk offsets,
 * as the saved index stores it: core/index-file.ts StoredDoc), each paragraph (for every-mention
 * counts) and each chunk with its vector (what search ranks). Text is analysed with the `english`
 * analyzer (stemming) and, in `.exact`, lower-cased words only (exact phrases and prefixes): the
 * chunks' in `text`, the paragraphs' in `paragraph` (so BM25 over `text` counts chunks alone).
 * Vectors are knn_vector, HNSW in the lucene engine, cosine similarity. Filter metadata (council,
 * year, type, judgements) is on every record, for any tool reading the index.
 */
import { createHash } from 'node:crypto';
import type { EmbedderInfo } from '../core/types.ts';
import { councilKey } from '../core/filters.ts';
import { indexTerms, KEYWORD_FORMAT_VERSION } from '../core/keyword-index.ts';
import type { StoredDoc } from '../core/index-file.ts';
import type { Chunk, DocMeta, Paragraph } from '../core/types.ts';

/** Bump when the records or the mapping change: the server refuses an index of another layout. */
export const LAYOUT_VERSION = 2;

/**
 * Where to ask which indexes an alias names (GET: `{<index>: {aliases: {<alias>: {}}}}`; 404 when
 * there is no such alias). Asked of the alias itself, not `/_alias/<alias>`: that one reads the
 * aliases of every index in the cluster, which the security plugin refuses (403) to a user allowed
 * only the alias's indexes (the server's read-only role, docs/scale-out.md).
 */
export function aliasTargetsPath(alias: string): string {
  return `/${alias}/_alias/${alias}`;
}

/** What the index's mapping _meta says about the build. */
export interface IndexMeta {
  layout: number;
  buildId: string;
  builtAt: string;
  embedder: EmbedderInfo;
  counts: { documents: number; chunks: number; paragraphs: number };
}

/**
 * A chunk's index terms as the embedded keyword index has them (core/keyword-index.ts: our
 * tokenizer, stop words, irregular forms and stemmer), written by the indexer as space-separated
 * tokens and split on spaces only, so OpenSearch's BM25 counts exactly those terms: its words,
 * its pairs of adjacent words (one token each, `pairToken`), its section headings' words.
 */
export const TERM_FIELDS = { words: 'terms', pairs: 'pairTerms', sections: 'sectionTerms' } as const;

/** A pair of adjacent index terms as one token (index terms hold letters, digits and dots only). */
export function pairToken(a: string, b: string): string {
  return `${a}_${b}`;
}

export const DOC_ID = (id: string): string => `d:${id}`;
export const PARAGRAPH_ID = (docId: string, anchor: string): string => `p:${docId}#${anchor}`;
export const CHUNK_ID = (id: string): string => `c:${id}`;

export interface IndexShape {
  shards: number;
  replicas: number;
}

export function indexBody(meta: IndexMeta, shape: IndexShape): unknown {
  return {
    settings: {
      index: {
        number_of_shards: shape.shards,
        number_of_replicas: shape.replicas,
        knn: true,
        // No refreshes while the build writes; one at the end (write-index.ts).
        refresh_interval: '-1',
        max_result_window: 10_000,
      },
      analysis: {
        analyzer: {
          words: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] },
          terms: { type: 'custom', tokenizer: 'whitespace' },
        },
      },
    },
    mappings: {
      dynamic: false,
      // Vectors live in the k-NN graph and doc values, not in each record's JSON.
      _source: { excludes: ['vector'] },
      _meta: meta,
      properties: {
        kind: { type: 'keyword' },
        id: { type: 'keyword' },
        docId: { type: 'keyword' },
        source: { type: 'keyword' },
        group: { type: 'integer' },
        start: { type: 'integer' },
        text: { type: 'text', analyzer: 'english', fields: { exact: { type: 'text', analyzer: 'words' } } },
        section: { type: 'text', analyzer: 'english' },
        [TERM_FIELDS.words]: { type: 'text', analyzer: 'terms', index_options: 'freqs' },
        [TERM_FIELDS.pairs]: { type: 'text', analyzer: 'terms', index_options: 'freqs' },
        [TERM_FIELDS.sections]: { type: 'text', analyzer: 'terms', index_options: 'freqs' },
        // Paragraphs' text apart from the chunks': BM25 statistics of `text` are the chunks' alone.
        paragraph: { type: 'text', analyzer: 'english', fields: { exact: { type: 'text', analyzer: 'words' } } },
        council: { type: 'keyword' },
        councilKey: { type: 'keyword' },
        year: { type: 'integer' },
        date: { type: 'keyword' },
        type: { type: 'keyword' },
        judgements: { type: 'keyword' },
        vector: {
          type: 'knn_vector',
          dimension: meta.embedder.dim,
          method: { name: 'hnsw', engine: 'lucene', space_type: 'cosinesimil', parameters: { m: 16, ef_construction: 128 } },
        },
        stored: { type: 'object', enabled: false },
      },
    },
  };
}

function metaFields(m: DocMeta): { docId: string } & Record<string, unknown> {
  return {
    docId: m.id,
    council: m.council,
    councilKey: m.council ? councilKey(m.council) : null,
    year: m.year,
    date: m.date,
    type: m.type,
    judgements: m.judgements.map((j) => `${j.area}: ${j.grade}`),
  };
}

export interface DocRecord {
  kind: 'doc';
  id: string;
  source: string;
  chunks: number;
  paragraphs: number;
  /** What every record of the document is made from (docFingerprint): the incremental write compares it. */
  fingerprint: string;
  stored: StoredDoc;
}

export function docRecord(stored: StoredDoc, fingerprint: string): DocRecord & Record<string, unknown> {
  return { kind: 'doc', id: stored.meta.id, source: stored.meta.source, chunks: stored.chunks.length, paragraphs: stored.paragraphs.length, fingerprint, ...metaFields(stored.meta), stored };
}

/**
 * SHA-256 of what a document's records are made from, but for its chunks' near-identical groups:
 * the layout and keyword-format versions (how records and index terms are derived), the document
 * as saved (metadata with the file's content hash and catalog entry, text, paragraph and chunk
 * offsets) and its chunks' vectors. Equal fingerprints: equal doc, paragraph and chunk records.
 * (Groups are global: opensearch/group-labels.ts.)
 */
export function docFingerprint(stored: StoredDoc, vectors: Float32Array): string {
  const hash = createHash('sha256');
  hash.update(`layout ${LAYOUT_VERSION} keyword ${KEYWORD_FORMAT_VERSION} dim ${vectors.length / Math.max(1, stored.chunks.length)}\n`);
  hash.update(JSON.stringify(stored));
  hash.update(new Uint8Array(vectors.buffer, vectors.byteOffset, vectors.byteLength));
  return hash.digest('hex');
}

export interface ParagraphRecord {
  kind: 'paragraph';
  id: string;
  docId: string;
  paragraph: string;
  start: number;
  stored: Omit<Paragraph, 'text'>;
}

export function paragraphRecord(meta: DocMeta, p: Paragraph): ParagraphRecord & Record<string, unknown> {
  const { text, ...stored } = p;
  return { kind: 'paragraph', id: `${meta.id}#${p.anchor}`, paragraph: text, start: p.start, ...metaFields(meta), stored };
}

export interface ChunkRecordSource {
  kind: 'chunk';
  id: string;
  docId: string;
  group: number;
  text: string;
  stored: Omit<Chunk, 'text'>;
}

export function chunkRecord(meta: DocMeta, c: Chunk, group: number, vector: Float32Array): ChunkRecordSource & Record<string, unknown> {
  const { text, ...stored } = c;
  const words = indexTerms(text);
  const terms = {
    [TERM_FIELDS.words]: words.join(' '),
    [TERM_FIELDS.pairs]: words.slice(1).map((b, i) => pairToken(words[i]!, b)).join(' '),
    [TERM_FIELDS.sections]: indexTerms(c.section.join(' ')).join(' '),
  };
  return { kind: 'chunk', id: c.id, group, text, section: c.section, start: c.start, ...terms, ...metaFields(meta), vector: Array.from(vector, (x) => Math.round(x * 1e6) / 1e6), stored };
}
