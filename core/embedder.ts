import type { EmbedderInfo } from './types.ts';

/**
 * Turns text into unit-length vectors. Implementations live in embed/ (they load model files);
 * core only knows this interface.
 */
export interface Embedder {
  readonly info: EmbedderInfo;
  /** Embed passages (documents). Returns one L2-normalised vector per input, in order. */
  embedPassages(texts: string[]): Promise<Float32Array[]>;
  /** Embed a search query (some models use a query prefix). L2-normalised. */
  embedQuery(text: string): Promise<Float32Array>;
  /** Release native resources. */
  dispose(): Promise<void>;
}
