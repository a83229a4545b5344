// Drives Debian's headless Chromium through the upload page of examples_c/upload_page_server.c,
// one Chromium for a whole plan of steps:
//   {"kind": "put", ...}   the page's button: a presigned PUT from the page's fetch;
//   {"kind": "form", ...}  the page's form, posted to the bucket (PostObject).
// Each step opens its page, picks its file, uploads, waits for the end and keeps a screenshot
// of the finished page as OUT/NAME.png. Prints one JSON line: for each step what the browser
// ended on, the page's console messages (with the URL each is about) and every answer of 400 or
// more (or none at all) to the page's own requests.
//
//   node upload.mjs PLAN.json
//   PLAN.json: {"out": DIR, "chromium": PATH,
//               "steps": [{"name": NAME, "kind": "put"|"form", "page": URL, "file": PATH}, ...]}
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));

// Each wait is bounded, so a page that never finishes fails the run instead of hanging it.
const STEP_MS = 20000;

async function formStep(page, step) {
  await page.setInputFiles('#form-file', step.file);
  // The form posts to the bucket; the browser ends on whatever OSS answers.
  await Promise.all([page.waitForNavigation(), page.click('#form-submit')]);
  return { url: page.url(), text: await page.innerText('body') };
}

async function putStep(page, step) {
  await page.setInputFiles('#put-file', step.file);
  await page.click('#put-button');
  await page.waitForSelector('#put-result[data-status]');
  return {
    status: await page.getAttribute('#put-result', 'data-status'),
    text: await page.innerText('#put-result'),
  };
}

// A fresh profile: nothing from an earlier run (cache, cookies, service workers) plays a part.
const profile = mkdtempSync(join(tmpdir(), 'ossffi-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: plan.chromium,
  headless: true,
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
  timeout: STEP_MS,
});
const result = { console: [], failedResponses: [] };
try {
  const page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(STEP_MS);
  page.on('console', (message) => result.console.push({
    type: message.type(), text: message.text(), url: message.location().url,
  }));
  page.on('response', (response) => {
    if (response.status() >= 400) result.failedResponses.push({ url: response.url(), status: response.status() });
  });
  page.on('requestfailed', (request) => result.failedResponses.push({ url: request.url(), status: 0 }));
  for (const step of plan.steps) {
    await page.goto(step.page);
    result[step.name] = step.kind === 'form' ? await formStep(page, step) : await putStep(page, step);
    await page.screenshot({ path: join(plan.out, `${step.name}.png`), fullPage: true });
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(result)}\n`);
