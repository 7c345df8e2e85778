/**
 * One file's bytes -> IngestedText: decide the format by content (detect.ts), then hand the bytes
 * to the reader of that format. A file that cannot be used throws AppError('unreadable_file')
 * whose message ("Ingest: <one-line reason>") the indexer shows as the skip reason.
 */
import { AppError } from '../../core/errors.ts';
import type { IngestedText } from '../../core/types.ts';
import { detectFormat } from '../detect.ts';
import { ingestHtml } from './html.ts';
import { ingestPdf } from './pdf.ts';
import { ingestText } from './text.ts';

export async function ingestFile(bytes: Uint8Array, fileName: string): Promise<IngestedText> {
  const detected = detectFormat(bytes, fileName);
  if ('skip' in detected) throw new AppError('unreadable_file', `Ingest: ${detected.skip}`);
  try {
    switch (detected.format) {
      case 'pdf':
        return await ingestPdf(bytes);
      case 'html':
        return ingestHtml(bytes);
      case 'txt':
      case 'md':
        return ingestText(bytes, detected.format);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 200);
    throw new AppError('unreadable_file', `Ingest: cannot read ${detected.format.toUpperCase()} (${reason})`, { cause: err });
  }
}
