/**
 * How to turn a model's token vectors into a sentence vector, read from the sentence-transformers
 * files that sit next to the model (1_Pooling/config.json, sentence_bert_config.json,
 * config_sentence_transformers.json, config.json, tokenizer_config.json).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export type Pooling = 'mean' | 'cls';

export interface ModelSpec {
  pooling: Pooling;
  /** Tokens per input after truncation (sentence-transformers max_seq_length). */
  maxLength: number;
  /** Prepended to queries only ("" when the model uses none). */
  queryPrefix: string;
  /** Output dimension from the config, or null when the folder does not say. */
  dim: number | null;
}

/** The query instruction of the BAAI bge English v1.5 retrieval models. */
export const BGE_QUERY_PREFIX = 'Represent this sentence for searching relevant passages: ';

async function readJson(path: string): Promise<Record<string, unknown> | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null;
}

/**
 * Read the spec of the model folder `dir`. `name` (e.g. "BAAI/bge-small-en-v1.5") is used only to
 * fill in what the files leave out: bge models default to CLS pooling and their query prefix.
 */
export async function readModelSpec(dir: string, name: string): Promise<ModelSpec> {
  const [pool, sbert, st, config, tok] = await Promise.all([
    readJson(join(dir, '1_Pooling', 'config.json')),
    readJson(join(dir, 'sentence_bert_config.json')),
    readJson(join(dir, 'config_sentence_transformers.json')),
    readJson(join(dir, 'config.json')),
    readJson(join(dir, 'tokenizer_config.json')),
  ]);
  const isBge = /(^|\/)bge-/i.test(name);

  let pooling: Pooling = isBge ? 'cls' : 'mean';
  if (pool) {
    if (pool['pooling_mode_cls_token'] === true) pooling = 'cls';
    else if (pool['pooling_mode_mean_tokens'] === true) pooling = 'mean';
  }

  const maxPositions = num(config?.['max_position_embeddings']) ?? 512;
  const maxLength = Math.min(num(sbert?.['max_seq_length']) ?? num(tok?.['model_max_length']) ?? 512, maxPositions, 512);

  let queryPrefix = isBge && /-en/i.test(name) ? BGE_QUERY_PREFIX : '';
  const prompts = st?.['prompts'];
  if (prompts && typeof prompts === 'object' && typeof (prompts as Record<string, unknown>)['query'] === 'string') {
    queryPrefix = (prompts as Record<string, string>)['query']!;
  }

  const dim = num(pool?.['word_embedding_dimension']) ?? num(config?.['hidden_size']);
  return { pooling, maxLength, queryPrefix, dim };
}
