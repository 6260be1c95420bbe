import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configKeywordsMarkdown } from '../../../src/config/reference';

test('docs/config-keywords.md is generated from the current keyword tables (run `npm run docs`)', () => {
  const file = join(__dirname, '..', '..', '..', '..', 'docs', 'config-keywords.md');
  assert.equal(readFileSync(file, 'utf8'), configKeywordsMarkdown());
});
