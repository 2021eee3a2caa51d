// check-features-html.mjs REPORT.html - opens an HTML report holding the feature matrix
// section (reports/features_html.c) from file:// in headless Debian Chromium and checks: no
// console errors, the "disagreements only" filter hides the rows without a marked cell
// and shows them again, the runtime filter hides a runtime's feature column. Prints one line per check ("ok ..." / "FAIL ...").
import { chromium } from 'playwright-core';
import path from 'node:path';

const [file] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
let failed = 0;
const check = (name, cond, detail) => {
  console.log(`${cond ? 'ok' : 'FAIL'} ${name}${cond || !detail ? '' : ': ' + detail}`);
  if (!cond) failed++;
};
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('file://' + path.resolve(file), { waitUntil: 'load' });
  const rows = () => page.$$eval('#featmatrix tbody tr', (rs) => rs.filter((r) => r.offsetParent !== null).length);
  const withDis = await page.$$eval('#featmatrix tbody tr', (rs) => rs.filter((r) => r.querySelector('td.dis')).length);
  const all = await rows();
  await page.check('#f-featdis');
  const only = await rows();
  check('disagreements only: the rows with a marked cell', only === withDis && only < all, `${only} of ${all}, ${withDis} marked`);
  await page.uncheck('#f-featdis');
  check('unchecked: every row again', (await rows()) === all);
  // the matrix's runtime filter hides that runtime's column of the feature table too
  const rt = await page.$eval('#f-runtime input', (e) => e.value);
  await page.uncheck(`#f-runtime input[value="${rt}"]`);
  const gone = await page.$$eval(`#featmatrix [data-r="${rt}"]`, (ts) => ts.length > 1 && ts.every((t) => getComputedStyle(t).display === 'none'));
  check('the runtime filter hides its feature column', gone);
  await page.check(`#f-runtime input[value="${rt}"]`);
  check('no console errors', errors.length === 0, errors.join(' | '));
} catch (e) {
  check('browser run', false, String(e));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
