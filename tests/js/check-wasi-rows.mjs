// check-wasi-rows.mjs REPORT.html - opens the HTML matrix from file:// in headless Debian
// Chromium and prints its WASI version rows (tr.wasi), one per line: the header text, then
// each runtime cell's text, separated by '|' (tests/t_compinspect.sh reads them).
import { chromium } from 'playwright-core';
import path from 'node:path';

const [file] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('file://' + path.resolve(file), { waitUntil: 'load' });
  await page.waitForSelector('#matrix tr.suite', { timeout: 20000 });
  const rows = await page.$$eval('#matrix tr.wasi', (rs) => rs.map((r) =>
    [r.querySelector('th').textContent, ...[...r.querySelectorAll('td.agg')].map((c) => c.textContent)].join('|')));
  rows.forEach((r) => console.log(r));
  errors.forEach((e) => console.log('error ' + e));
} finally {
  await browser.close();
}
