// Sums ava's results (its ✔ lines, "1 test failed", "2 tests skipped", "1 known failure",
// "1 uncaught exception", "1 unhandled rejection") over every package's run in a turbo log.
import { readFileSync } from 'node:fs';

const text = readFileSync(process.argv[2] ?? 0, 'utf8').replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
const sum = (pattern) => [...text.matchAll(pattern)].reduce((n, m) => n + Number(m[1]), 0);
// ava omits "N tests passed" when any test failed, so passes are counted from its per-test ✔ lines.
const passed = (text.match(/^.*\u2714 (?!\[expected fail\]).*$/gm) ?? []).length;
const failed =
  sum(/(?:^|\s)(\d+) tests? failed\b/gm) +
  sum(/(?:^|\s)(\d+) uncaught exceptions?\b/gm) +
  sum(/(?:^|\s)(\d+) unhandled rejections?\b/gm) +
  sum(/(?:^|\s)(\d+) tests? remained uncompleted\b/gm);
const skipped = sum(/(?:^|\s)(\d+) tests? skipped\b/gm) + sum(/(?:^|\s)(\d+) tests? todo\b/gm);
console.log(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
