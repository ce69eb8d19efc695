import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The labelled dev corpus (tests/fixtures/corpus-dev/articles.jsonl). */
export const devArticlesFile = join(dirname(fileURLToPath(import.meta.url)), '../tests/fixtures/corpus-dev/articles.jsonl');
