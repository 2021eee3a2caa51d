// check-html.mjs REPORT.html SCREENSHOT.png - opens the HTML matrix from file:// in
// headless Debian Chromium and checks: no console errors, a click on a cell opens its
// details, a filter hides rows. Prints one line per check ("ok ..." / "FAIL ...").
import { chromium } from 'playwright-core';
import path from 'node:path';

const [file, shot] = process.argv.slice(2);
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
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [], requests = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()); });
  const t0 = Date.now();
  await page.goto('file://' + path.resolve(file), { waitUntil: 'load' });
  await page.waitForSelector('#matrix tr.suite', { timeout: 20000 });
  check('page loads and draws suites', true);
  console.log(`info load ${Date.now() - t0} ms`);
  const visible = () => page.$$eval('#matrix tr.test', (rs) => rs.filter((r) => !r.hidden).length);
  const nTests = await page.$$eval('#matrix tr.test', (rs) => rs.length);
  check('test rows present', nTests > 0, `${nTests}`);
  // expand every suite, then open the details of the first failing cell (or any cell)
  await page.click('#b-expand');
  const all = await visible();
  check('expand all shows every test row', all === nTests, `${all} of ${nTests}`);
  const cell = (await page.$('#matrix td.c.o-fail[data-t]')) || (await page.$('#matrix td.c[data-t]'));
  await cell.click();
  await page.waitForSelector('#details:not([hidden])', { timeout: 5000 });
  const det = await page.textContent('#details');
  check('a click on a cell opens its details', /on .+@/.test(det) && /duration/.test(det) && /stderr/.test(det), det.slice(0, 200));
  check('details show the command line', /Command/.test(det) && /env -i/.test(det), det.slice(0, 200));
  await page.screenshot({ path: shot, fullPage: false });
  await page.click('#details .close');
  check('details close', await page.$eval('#details', (e) => e.hidden));
  // filter by outcome: hide passing results
  await page.uncheck('#f-outcome input[value=pass]');
  const afterOutcome = await visible();
  check('outcome filter hides rows', afterOutcome < all, `${afterOutcome} of ${all}`);
  await page.check('#f-outcome input[value=pass]');
  // filter by text
  const firstName = await page.$eval('#matrix tr.test th', (e) => e.textContent);
  await page.fill('#f-text', firstName);
  const afterText = await visible();
  check('text filter hides rows', afterText >= 1 && afterText < all, `${afterText} of ${all} for '${firstName}'`);
  await page.fill('#f-text', '');
  // runtime filter hides a column
  const rt = await page.$eval('#f-runtime input', (e) => e.value);
  await page.uncheck(`#f-runtime input[value="${rt}"]`);
  const hidden = await page.$$eval(`#matrix td[data-r="${rt}"]`, (ts) => ts.every((t) => getComputedStyle(t).display === 'none'));
  check('runtime filter hides its column', hidden);
  await page.check(`#f-runtime input[value="${rt}"]`);
  // dark theme renders too
  await page.click('#b-theme');
  const bg = await page.$eval('body', (b) => getComputedStyle(b).backgroundColor);
  check('dark theme switch', bg !== 'rgb(255, 255, 255)', bg);
  await page.click('#b-theme');
  await page.click('#b-theme');
  check('no console errors', errors.length === 0, errors.join(' | '));
  check('no network requests', requests.length === 0, requests.join(' '));
} catch (e) {
  check('browser run', false, String(e));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
