import { readdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PURPOSES_OF_USE } from '@mhrchain/consent';
import { type MhrChainAddresses, type PrivacyNeedle, scanChainPrivacy } from '@mhrchain/contracts';
import { JsonRpcProvider } from 'ethers';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../src/server/stack.js';
import { type A11yReport, checkA11y, horizontalOverflow } from './a11y.js';
import { ARTIFACTS_DIR, launchBrowser, type TestBrowser } from './browser.js';
import { makeObservation, makePdf, pseudoRandomBytes } from './fixtures.js';

const DIST = fileURLToPath(new URL('../dist/e2e/', import.meta.url));

// The story's plaintexts: none of them may appear on chain.
const NOTE = 'Hemoglobin 14.2 g/dL, leukocytes 6.1 G/L';
const PDF_TEXT = 'Discharge summary MHRPDF-7731 cardiology ward';
const FHIR_NOTE = 'Borderline anaemia MHRFHIR-5120';
const pdf = makePdf(PDF_TEXT);
const observation = makeObservation(FHIR_NOTE);
const large = pseudoRandomBytes(6 * 1024 * 1024);
const TITLES = ['Blood test', 'Discharge letter', 'Chest X-ray', 'Anaemia check', 'Holter export', 'Cancelled scan'];
let image: Buffer | undefined;

// One story, in order, in two isolated browser contexts (the patient's browser and the doctor's browser).
describe('web EHR in Chromium: patient and doctor', () => {
  let stack: Stack;
  let browser: TestBrowser;
  let patient: Page;
  let doctor: Page;
  const errors: string[] = [];
  const reports: A11yReport[] = [];
  const layout: Array<{ screen: string; width: number; overflow: number }> = [];

  beforeAll(async () => {
    stack = await startStack({ outDir: 'dist/e2e' });
    browser = await launchBrowser();
    // Two people in two time zones: each page shows times in its own.
    const patientPage = await browser.newPage('patient', 'Europe/Paris');
    const doctorPage = await browser.newPage('doctor', 'UTC');
    patient = patientPage.page;
    doctor = doctorPage.page;
    errors.push(...patientPage.errors);
    patientPage.errors.push = (...items) => errors.push(...items);
    doctorPage.errors.push = (...items) => errors.push(...items);
  });

  // The steps build on each other: after a failure, save both pages as they are and skip the rest.
  let failed = false;
  beforeEach((context) => {
    if (failed) context.skip();
  });
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    failed = true;
    await browser.screenshot(patient, 'failed-patient').catch(() => {});
    await browser.screenshot(doctor, 'failed-doctor').catch(() => {});
  });

  afterAll(async () => {
    await writeFile(`${ARTIFACTS_DIR}a11y.json`, JSON.stringify({ reports, layout }, null, 2)).catch(() => {});
    await browser?.close();
    await stack?.close();
  });

  /** axe-core on the page as it is: no violation of serious or critical impact. */
  const accessible = async (page: Page, screen: string) => {
    const report = await checkA11y(page, screen);
    reports.push(report);
    expect(report.serious, `${screen}: ${JSON.stringify(report.serious, null, 1)}`).toEqual([]);
  };

  /** The screen at 390 px and 360 px: no horizontal scroll, accessible; screenshots at 1280 and 390 px. */
  const responsive = async (page: Page, screen: string, focus?: string) => {
    const show = () => (focus ? page.getByTestId(focus).scrollIntoViewIfNeeded() : Promise.resolve());
    await accessible(page, `${screen} (1280 px)`);
    await show();
    await browser.viewportShot(page, `${screen}-1280`);
    for (const width of [390, 360]) {
      await page.setViewportSize({ width, height: 844 });
      await page.waitForTimeout(150);
      const overflow = await horizontalOverflow(page);
      layout.push({ screen, width, overflow });
      expect(overflow, `${screen} at ${width} px`).toBeLessThanOrEqual(0);
      if (width === 390) {
        await accessible(page, `${screen} (390 px)`);
        await show();
        await browser.viewportShot(page, `${screen}-390`);
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  const row = (page: Page, title: string) => page.getByTestId('record-row').filter({ hasText: title });

  const upload = async (
    title: string,
    content: { note: string } | { name: string; mimeType: string; buffer: Buffer },
  ) => {
    await patient.getByTestId('record-title').fill(title);
    if ('note' in content) await patient.getByTestId('record-text-input').fill(content.note);
    else await patient.getByTestId('record-file').setInputFiles(content);
    await patient.getByTestId('add-record').click();
  };
  const added = (title: string) =>
    expect.poll(() => patient.getByTestId('add-status').textContent(), { timeout: 30_000 }).toContain(`“${title}”`);

  it('the accessibility check fails where it should (an unlabelled field, grey on white)', async () => {
    const page = await browser.browser.newPage();
    await page.setContent('<main><h1>x</h1><input><p style="color:#aaa;background:#fff">low contrast</p></main>');
    const report = await checkA11y(page, 'canary');
    await page.close();
    expect(report.serious.map((v) => v.id)).toEqual(expect.arrayContaining(['color-contrast', 'label']));
  });

  it('the patient adds a note, encrypted in the browser and anchored on chain', async () => {
    await patient.goto(`${stack.appUrl}#/patient`);
    await patient.getByTestId('patient-ready').waitFor();
    // A record without a title or content is refused next to the fields, with the button still usable.
    await patient.getByTestId('add-record').click();
    expect(await patient.getByTestId('title-error').textContent()).toBe('Give the record a title.');
    await patient.getByTestId('record-title').fill('Blood test');
    await patient.getByTestId('add-record').click();
    expect(await patient.getByTestId('content-error').textContent()).toBe('Write a note or choose a file.');
    await accessible(patient, 'patient: add record with errors');
    await patient.getByTestId('record-text-input').fill(NOTE);
    await patient.getByTestId('add-record').click();
    await added('Blood test');
    await expect.poll(() => row(patient, 'Blood test').textContent()).toContain(NOTE);
  });

  it("the patient's browser keeps the record's blocks in its own IPFS node (IndexedDB), across a reload", async () => {
    const localBlocks = () =>
      patient.evaluate(async () => {
        const name = 'mhr-web-ehr-patient/blocks';
        if (!(await indexedDB.databases()).some((d) => d.name === name)) return 0;
        return new Promise<number>((resolve, reject) => {
          const open = indexedDB.open(name);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const count = db.transaction(name).objectStore(name).count();
            count.onsuccess = () => {
              resolve(count.result);
              db.close();
            };
            count.onerror = () => reject(count.error);
          };
        });
      });
    const before = await localBlocks();
    expect(before).toBeGreaterThanOrEqual(2); // the envelope header and its payload at least
    await patient.reload();
    await patient.getByTestId('patient-ready').waitFor();
    expect(await localBlocks()).toBe(before);
    await expect.poll(() => row(patient, 'Blood test').textContent()).toContain(NOTE);
  });

  it('the patient uploads a PDF, an image and a FHIR resource; the form is empty and usable after each', async () => {
    await upload('Discharge letter', { name: 'discharge.pdf', mimeType: 'application/pdf', buffer: pdf });
    await added('Discharge letter');
    // After an upload the form is reset, file picker included.
    expect(await patient.getByTestId('record-file').inputValue()).toBe('');
    expect(await patient.getByTestId('record-title').inputValue()).toBe('');
    expect(await patient.getByTestId('add-record').isEnabled()).toBe(true);
    image = await patient.screenshot({ clip: { x: 0, y: 0, width: 320, height: 200 } });
    await upload('Chest X-ray', { name: 'chest.png', mimeType: 'image/png', buffer: image });
    await added('Chest X-ray');
    await upload('Anaemia check', { name: 'hb.json', mimeType: 'application/json', buffer: observation });
    await added('Anaemia check');
    await expect.poll(() => patient.getByTestId('record-row').count()).toBe(4);
    // Grouped by category (the form picks one from the file), searchable.
    await expect
      .poll(() => patient.getByTestId('record-group').locator('h4').allTextContents())
      .toEqual(['Notes', 'Reports', 'Imaging']);
    await expect.poll(() => row(patient, 'Anaemia check').textContent()).toContain('FHIR Observation');
    await patient.getByTestId('record-search').fill('x-ray');
    await expect.poll(() => patient.getByTestId('record-row').count()).toBe(1);
    await patient.getByTestId('record-search').fill('');

    // The viewer: the image at full size, the FHIR resource as a summary.
    await row(patient, 'Chest X-ray').getByTestId('open-record').click();
    const shown = patient.getByTestId('image-view');
    await expect.poll(() => shown.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320);
    await row(patient, 'Anaemia check').getByTestId('open-record').click();
    expect(await patient.getByTestId('fhir-heading').textContent()).toBe('Hemoglobin [Mass/volume] in Blood');
    expect(await patient.getByTestId('fhir-view').textContent()).toContain('13.5 g/dL – 17.5 g/dL');
    // The time the resource states, at the reader's local time (08:15 at +01:00 is 08:15 in Paris).
    expect(await patient.getByTestId('fhir-view').textContent()).toContain('30 Nov 2026, 08:15:00 CET');
    expect(await patient.getByTestId('fhir-view').textContent()).toContain(FHIR_NOTE);
    // The viewer takes the focus when it opens, and Escape closes it.
    await expect.poll(() => patient.evaluate(() => document.activeElement?.id)).toBe('viewer-title');
    await patient.keyboard.press('Escape');
    await expect.poll(() => patient.getByTestId('record-viewer').count()).toBe(0);
    await row(patient, 'Anaemia check').getByTestId('open-record').click();
    await responsive(patient, 'patient-records');
  });

  it('a large upload shows its progress, and a cancelled one adds nothing', async () => {
    // Every fraction the bar shows, as the page renders it (the test's own polling could miss fast steps).
    await patient.evaluate(() => {
      const seen: string[] = [];
      const phases: Array<[string, number]> = [];
      Object.assign(window, { fractions: seen, phases });
      new MutationObserver((mutations) => {
        for (const mutation of mutations) {
          const value = (mutation.target as Element).getAttribute?.('data-fraction');
          if (value) seen.push(value);
          const phase = document.querySelector('[data-testid="upload-progress"]')?.getAttribute('data-phase') ?? 'done';
          if (phases.at(-1)?.[0] !== phase) phases.push([phase, Math.round(performance.now())]);
        }
      }).observe(document.body, {
        subtree: true,
        childList: true,
        attributes: true,
        attributeFilter: ['data-fraction', 'data-phase'],
      });
    });
    await upload('Holter export', { name: 'holter.bin', mimeType: 'application/octet-stream', buffer: large });
    await added('Holter export');
    const fractions = await patient.evaluate(() =>
      (window as unknown as { fractions: string[] }).fractions.map(Number),
    );
    const phases = await patient.evaluate(() => (window as unknown as { phases: Array<[string, number]> }).phases);
    await writeFile(`${ARTIFACTS_DIR}upload.json`, JSON.stringify({ bytes: large.length, fractions, phases }, null, 2));
    // Each encrypted block of about 1 MiB moves the bar: 6 MiB pass through at least 4 distinct steps, in order.
    expect(new Set(fractions).size).toBeGreaterThanOrEqual(4);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.every((f) => f > 0 && f < 1)).toBe(true);
    await expect.poll(() => patient.getByTestId('record-row').count()).toBe(5);

    // On a slow link (each block's upload held back 400 ms), the patient cancels halfway through.
    await patient.route('**/car', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await route.continue();
    });
    await upload('Cancelled scan', { name: 'scan.bin', mimeType: 'application/octet-stream', buffer: large });
    await expect
      .poll(() => patient.getByTestId('upload-progress').getAttribute('data-phase'), { timeout: 30_000 })
      .toBe('storing');
    await patient.getByTestId('cancel-upload').click();
    await expect
      .poll(() => patient.getByTestId('add-status').textContent())
      .toBe('Upload cancelled: nothing was added to your records.');
    await patient.unroute('**/car');
    await patient.waitForTimeout(2000);
    expect(await patient.getByTestId('record-row').count()).toBe(5);
    await patient.getByTestId('record-title').fill('');
    await patient.getByTestId('record-file').setInputFiles([]);
  });

  it("the doctor's page shows nothing before access, and says what is wrong with a bad address", async () => {
    await doctor.goto(`${stack.appUrl}#/doctor`);
    await doctor.getByTestId('doctor-ready').waitFor();
    await expect.poll(() => doctor.getByTestId('access-status').textContent()).toBe('No access');
    expect(await doctor.getByTestId('no-access').isVisible()).toBe(true);
    expect(await doctor.getByTestId('records').count()).toBe(0);
    const field = doctor.getByTestId('patient-input');
    await field.fill('0x1234');
    expect(await doctor.getByTestId('patient-error').textContent()).toMatch(/^A patient address is 0x followed by 40/);
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await accessible(doctor, 'doctor: invalid address');
    await field.fill('0x000000000000000000000000000000000000dEaD');
    await expect
      .poll(() => doctor.getByTestId('patient-error').textContent())
      .toBe('No patient is registered at this address.');
    await field.fill(stack.config.accounts.patient.address);
    await expect.poll(() => doctor.getByTestId('access-status').textContent()).toBe('No access');
    await responsive(doctor, 'doctor-request');
  });

  it('the doctor asks for a scope, a duration and a purpose; the request survives a reload', async () => {
    await doctor.getByTestId('request-duration').selectOption(String(7 * 86_400));
    await doctor.getByTestId('request-purpose').selectOption('ETREAT'); // a code of the published vocabulary
    await doctor.getByTestId('request-access').click();
    await expect.poll(() => doctor.getByTestId('access-status').textContent()).toBe('Request pending');
    await doctor.reload();
    await doctor.getByTestId('doctor-ready').waitFor();
    await doctor.getByTestId('pending-request').waitFor();
    expect(await doctor.getByTestId('pending-purpose').textContent()).toBe('Emergency Treatment (ETREAT)');
    expect(await doctor.getByTestId('otp-input').isVisible()).toBe(true);
    expect(await doctor.getByTestId('request-expiry').textContent()).toMatch(/^The request is open until /);
    await responsive(doctor, 'doctor-pending', 'pending-request');

    await patient.getByTestId('tab-sharing').click();
    await expect.poll(() => patient.getByTestId('waiting-count').textContent()).toBe('1 waiting');
    const request = patient.getByTestId('access-request');
    await expect
      .poll(() => request.getByTestId('requested-purpose').textContent())
      .toBe('Emergency Treatment (ETREAT)');
    expect(await request.getByTestId('requested-scope').textContent()).toBe('all records');
    expect(await request.textContent()).toContain('Dr. Sam Rivera asks to read all records for 7 days.');
  });

  it('a wrong code is refused on the doctor page, with the attempts left; the right one grants access', async () => {
    await patient.getByTestId('show-code').click();
    const code = (await patient.getByTestId('otp-code').textContent())!.trim();
    expect(code).toMatch(/^\d{6}$/);
    await responsive(patient, 'patient-sharing-request', 'access-request');

    // A malformed code never leaves the page.
    await doctor.getByTestId('otp-input').fill('12 34');
    await doctor.getByTestId('send-code').click();
    expect(await doctor.getByTestId('code-error').textContent()).toMatch(/^The code has 6 digits/);

    const wrong = `${code.slice(0, 5)}${(Number(code[5]) + 1) % 10}`;
    await doctor.getByTestId('otp-input').fill(wrong);
    await doctor.getByTestId('send-code').click();
    await expect
      .poll(() => doctor.getByTestId('request-error').textContent(), { timeout: 20_000 })
      .toMatch(/^Wrong code: .*\(4 attempts left\)/);
    await expect
      .poll(() => patient.getByTestId('consent-log').first().textContent())
      .toBe('Dr. Sam Rivera entered a wrong code (4 attempts left).');
    await accessible(doctor, 'doctor: wrong code');

    await doctor.getByTestId('otp-input').fill(code);
    await doctor.getByTestId('send-code').click();
    await expect
      .poll(() => doctor.getByTestId('access-status').textContent(), { timeout: 30_000 })
      .toBe('Access granted');
    await expect
      .poll(() => patient.getByTestId('consent-log').first().textContent())
      .toBe('Dr. Sam Rivera entered the right code: access granted.');
    // The sharing screen: who, what, why, until when.
    const grant = patient.getByTestId('granted-doctor');
    await expect.poll(() => grant.getByTestId('grant-purpose').textContent()).toBe('Emergency Treatment (ETREAT)');
    expect(await grant.getByTestId('grant-name').textContent()).toBe('Dr. Sam Rivera');
    expect(await grant.getByTestId('grant-scope').textContent()).toBe('all records');
    expect(await grant.getByTestId('grant-expiry').textContent()).toMatch(/\d{4}, \d\d:\d\d:\d\d \S+$/);
    await responsive(patient, 'patient-sharing-granted', 'granted-doctor');
  });

  it('the doctor reads the records, decrypted in its browser; the PDF downloads byte-identical', async () => {
    await expect.poll(() => doctor.getByTestId('record-row').count(), { timeout: 30_000 }).toBe(5);
    await expect.poll(() => row(doctor, 'Blood test').textContent(), { timeout: 30_000 }).toContain(NOTE);
    const anchoredAt = await row(doctor, 'Blood test').getByTestId('anchored-at').textContent();
    // Local time with its time zone, one format everywhere (the doctor's browser is in UTC).
    expect(anchoredAt).toMatch(/^Anchored on chain \d{1,2} \w{3} \d{4}, \d\d:\d\d:\d\d UTC$/);
    await row(doctor, 'Discharge letter').getByTestId('open-record').click();
    await doctor.getByTestId('pdf-view').waitFor();
    const [download] = await Promise.all([
      doctor.waitForEvent('download'),
      doctor.getByTestId('download-record').click(),
    ]);
    expect(download.suggestedFilename()).toBe('Discharge-letter.pdf');
    expect(Buffer.compare(await readFile((await download.path())!), pdf)).toBe(0);
    await responsive(doctor, 'doctor-records', 'record-viewer');
  });

  it('the doctor asks to share the reports with a colleague; the patient approves it with the keyboard', async () => {
    await doctor.getByTestId('share-scope').selectOption('2');
    await doctor.getByTestId('request-delegation').click();
    await expect.poll(() => doctor.getByTestId('my-delegation').getAttribute('data-status')).toBe('pending');
    await patient.getByTestId('tab-sharing').click();
    const card = patient.getByTestId('delegation-request');
    await expect
      .poll(() => card.textContent())
      .toMatch(/^Dr\. Sam Rivera asks to share Reports records with Dr\. Lee Chen until /);
    await accessible(patient, 'patient: delegation request');
    // Keyboard only: focus the approval and press Enter.
    await card.getByRole('button', { name: 'Approve sharing with Dr. Lee Chen' }).focus();
    await patient.keyboard.press('Enter');
    await expect
      .poll(() => patient.getByTestId('active-delegation').textContent(), { timeout: 30_000 })
      .toMatch(/^Dr\. Lee Chen, through Dr\. Sam Rivera: Reports records/);
    await expect.poll(() => doctor.getByTestId('my-delegation').getAttribute('data-status')).toBe('active');
  });

  it('the access log tells the story in words, at local time, linked to the transactions', async () => {
    await patient.getByTestId('tab-log').click();
    const texts = () => patient.getByTestId('log-text').allTextContents();
    await expect
      .poll(texts)
      .toContain('Dr. Sam Rivera asked to read all records for 7 days, for Emergency Treatment (ETREAT).');
    const log = await texts();
    expect(log.filter((line) => line === 'A record was added to Reports.')).toHaveLength(2);
    expect(log).toContain('A record was added to Imaging.');
    expect(log).toContain('You registered your encryption key.');
    expect(log).toContain('You approved sharing with Dr. Lee Chen.');
    expect(log.some((line) => /^You gave Dr\. Sam Rivera access to all records until /.test(line))).toBe(true);
    expect(log.some((line) => line.includes('Anaemia') || line.includes('Discharge'))).toBe(false); // no titles on chain
    // Local time with the time zone: the patient's browser is in Paris.
    expect(await patient.getByTestId('log-entry').first().locator('time').textContent()).toMatch(
      /^\d{1,2} \w{3} \d{4}, \d\d:\d\d:\d\d (CET|CEST)$/,
    );
    await responsive(patient, 'patient-access-log', 'access-log');
    // The log exports as FHIR: Consent and AuditEvent resources in a Bundle.
    const [exported] = await Promise.all([patient.waitForEvent('download'), patient.getByTestId('log-export').click()]);
    const bundle = JSON.parse(await readFile((await exported.path())!, 'utf8')) as {
      resourceType: string;
      entry: Array<{ resource: { resourceType: string } }>;
    };
    expect(bundle.resourceType).toBe('Bundle');
    const types = new Set(bundle.entry.map((entry) => entry.resource.resourceType));
    expect([...types].sort()).toEqual(['AuditEvent', 'Consent']);
    await patient.getByTestId('log-entry').first().getByTestId('tx-link').click();
    await expect.poll(() => patient.getByTestId('tx-status').textContent()).toBe('Succeeded');
    await responsive(patient, 'transaction');
    await patient.goBack();
    await patient.getByTestId('patient-ready').waitFor();
  });

  it('the patient shares a live ECG and the doctor sees it move, with the heart rate; a stopped share reads as stopped', async () => {
    await patient.getByTestId('tab-ecg').click();
    await patient.getByTestId('share-ecg').click();
    await doctor.getByTestId('ecg-status').waitFor({ timeout: 30_000 });
    const chart = doctor.getByTestId('doctor-ecg');
    const samples = async () => Number((await chart.getAttribute('data-samples')) ?? 0);
    await expect.poll(samples, { timeout: 30_000 }).toBeGreaterThan(360);
    const first = await chart.screenshot();
    const before = await samples();
    await doctor.waitForTimeout(1200);
    const second = await chart.screenshot();
    expect(await samples()).toBeGreaterThan(before);
    expect(second.equals(first)).toBe(false);
    // The SDK's live monitor detects the beats: record 101 runs at about 70 bpm.
    const heartRate = async () => Number(await doctor.getByTestId('heart-rate').textContent());
    await expect.poll(heartRate).toBeGreaterThan(40);
    expect(await heartRate()).toBeLessThan(120);
    await responsive(doctor, 'doctor-live-ecg', 'ecg-status');
    await responsive(patient, 'patient-live-ecg', 'live-share-status');

    await patient.getByTestId('share-ecg').click(); // stop
    await doctor.getByTestId('ecg-stale').waitFor({ timeout: 10_000 });
    expect(await doctor.getByTestId('ecg-status').getAttribute('data-live')).toBe('false');
    expect(await doctor.getByTestId('heart-rate').count()).toBe(0);
    await accessible(doctor, 'doctor: stream stopped');
    await patient.getByTestId('share-ecg').click(); // again
    await expect
      .poll(() => doctor.getByTestId('ecg-status').getAttribute('data-live'), { timeout: 30_000 })
      .toBe('true');
  });

  it('the patient revokes the doctor mid-stream: the share pauses, the records and the live ECG are gone for the doctor', async () => {
    const opened = async () => Number(await doctor.getByTestId('ecg-status').getAttribute('data-frames'));
    const patientSamples = async () =>
      Number((await patient.getByTestId('patient-ecg').getAttribute('data-samples')) ?? 0);
    await expect.poll(() => patient.getByTestId('live-share-status').textContent()).toMatch(/^Live: frames sealed/);
    const beforeRevoke = await opened();
    await patient.getByTestId('tab-sharing').click();
    expect(await patient.getByTestId('granted-doctor').count()).toBe(1);

    await patient.getByTestId('revoke-doctor').click();
    // The share pauses at once (before the chain confirms), and the patient's page says so.
    await expect
      .poll(() => patient.getByTestId('live-share-status').textContent())
      .toBe('Live share paused: no doctor has access');
    // Frames written before the revocation may still be on their way for a moment; after that, the doctor's page,
    // still subscribed, opens nothing more while the wearable keeps recording on the patient's side.
    await doctor.waitForTimeout(1000);
    const atRevocation = await opened();
    expect(atRevocation).toBeGreaterThanOrEqual(beforeRevoke);
    const patientBefore = await patientSamples();
    await doctor.waitForTimeout(3000);
    expect(await patientSamples()).toBeGreaterThan(patientBefore);
    expect(await opened()).toBe(atRevocation);

    const denied = doctor.getByTestId('ecg-denied');
    await denied.waitFor({ timeout: 15_000 });
    await expect
      .poll(() => patient.getByTestId('revoke-log').textContent(), { timeout: 30_000 })
      .toMatch(/^Access revoked for Dr\. Sam Rivera: \d+ records were locked with a new key\.$/);
    await expect.poll(() => patient.getByTestId('granted-doctor').count()).toBe(0);
    // The colleague read through the doctor: that ends with the doctor's access.
    await expect.poll(() => patient.getByTestId('active-delegation').count()).toBe(0);
    expect(await patient.getByTestId('no-grants').textContent()).toBe('Nobody can read your records but you.');
    await expect.poll(() => doctor.getByTestId('access-status').textContent()).toBe('No access');
    await expect.poll(() => denied.textContent()).toMatch(/^Your access was revoked/);
    expect(await doctor.getByTestId('record-row').count()).toBe(0);
    expect(await doctor.getByTestId('no-access').isVisible()).toBe(true);
    expect(await doctor.getByTestId('ecg-status').getAttribute('data-live')).toBe('false');
    expect(await doctor.getByTestId('heart-rate').count()).toBe(0);
    expect(await opened()).toBe(atRevocation);
    expect(await doctor.getByTestId('ecg-error').count()).toBe(0);
    await accessible(doctor, 'doctor: revoked');
    await browser.screenshot(patient, 'patient-share-paused');
    await browser.screenshot(doctor, 'doctor-revoked');
  });

  it('the patient rejects a new request; the doctor can ask again', async () => {
    await doctor.getByTestId('request-scope').selectOption('category');
    await doctor.getByTestId('request-category').selectOption('3');
    await doctor.getByTestId('request-purpose').selectOption('TREAT');
    await doctor.getByTestId('request-access').click();
    const request = patient.getByTestId('access-request');
    await expect.poll(() => request.getByTestId('requested-scope').textContent()).toBe('Imaging records');
    await request.getByTestId('reject-request').click();
    await expect.poll(() => patient.getByTestId('access-request').count()).toBe(0);
    await expect.poll(() => doctor.getByTestId('access-status').textContent()).toBe('No access');
    await doctor.getByTestId('request-form').waitFor();
    await expect
      .poll(() => doctor.getByTestId('request-closed').textContent())
      .toMatch(/^Your last request was closed/);
    await accessible(doctor, 'doctor: request closed');
    await patient.getByTestId('tab-log').click();
    await expect
      .poll(() => patient.getByTestId('log-text').allTextContents())
      .toContain('You declined the request of Dr. Sam Rivera.');
  });

  it('the doctor withdraws a request; an unanswered request expires', async () => {
    await doctor.getByTestId('request-access').click();
    await doctor.getByTestId('pending-request').waitFor();
    await doctor.getByTestId('withdraw-request').click();
    await doctor.getByTestId('withdraw-sent').waitFor();
    await expect.poll(() => doctor.getByTestId('access-status').textContent(), { timeout: 20_000 }).toBe('No access');

    await doctor.getByTestId('request-access').click();
    await doctor.getByTestId('pending-request').waitFor();
    // An hour later on chain: both pages see it expired; the patient's page closes it.
    await fetch(stack.config.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'evm_increaseTime', params: [3601] }),
    });
    await fetch(stack.config.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'evm_mine', params: [] }),
    });
    await expect.poll(() => doctor.getByTestId('access-status').textContent(), { timeout: 20_000 }).toBe('No access');
    await patient.getByTestId('tab-sharing').click();
    await expect
      .poll(() => patient.getByTestId('consent-log').allTextContents())
      .toContain('The request of Dr. Sam Rivera expired unanswered and was closed.');
    await accessible(patient, 'patient: requests closed');
  });

  it('the build holds no private key (the local server hands them to the page at run time)', async () => {
    const assets = await readdir(`${DIST}assets`);
    const keys = Object.values(stack.config.accounts).map((account) => account.privateKey.slice(2).toLowerCase());
    for (const asset of assets) {
      const text = (await readFile(`${DIST}assets/${asset}`, 'utf8')).toLowerCase();
      for (const key of keys) expect(text.includes(key), asset).toBe(false);
    }
    expect(await patient.getByTestId('demo-note').textContent()).toMatch(/^Local demo: /);
  });

  it("the chain of the whole story holds none of its plaintexts, and only fields on the threat model's list", async () => {
    const provider = new JsonRpcProvider(stack.config.rpcUrl, stack.config.chainId, { staticNetwork: true });
    const bytes = (label: string, value: Uint8Array): PrivacyNeedle => ({ label, bytes: value });
    const plaintexts: PrivacyNeedle[] = [
      ...TITLES,
      NOTE,
      PDF_TEXT,
      FHIR_NOTE,
      'Hemoglobin [Mass/volume] in Blood',
      ...[...Object.values(stack.config.accounts), ...stack.config.colleagues].map((account) => account.name),
      ...PURPOSES_OF_USE.flatMap((purpose) => [purpose.code, purpose.display]),
      bytes('the PDF', pdf),
      bytes('the FHIR Observation', observation),
      bytes('the image', image!),
      bytes('the large file (first 64 KiB)', large.subarray(0, 65_536)),
    ];
    try {
      const scan = await scanChainPrivacy({
        provider,
        addresses: stack.config.contracts as unknown as MhrChainAddresses,
        plaintexts,
      });
      const { blocks, transactions, events, storageSlots, leaks, unlisted } = scan;
      const summary = { blocks, transactions, events, storageSlots, plaintexts: plaintexts.length, leaks, unlisted };
      await writeFile(`${ARTIFACTS_DIR}privacy.json`, JSON.stringify(summary, null, 2));
      expect(scan.transactions).toBeGreaterThan(20);
      expect(scan.events).toBeGreaterThan(20);
      expect(scan.leaks).toEqual([]);
      expect(scan.unlisted).toEqual([]);
    } finally {
      provider.destroy();
    }
  });

  it('logged no errors in either browser', () => {
    expect(errors).toEqual([]);
  });
});
