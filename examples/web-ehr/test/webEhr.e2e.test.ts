import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Stack, startStack } from '../src/server/stack.js';
import { launchBrowser, type TestBrowser } from './browser.js';

// One story, in order, in two isolated browser contexts (the patient's browser and the doctor's browser).
describe('web EHR in Chromium: patient and doctor', () => {
  let stack: Stack;
  let browser: TestBrowser;
  let patient: Page;
  let doctor: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    stack = await startStack({ outDir: 'dist/e2e' });
    browser = await launchBrowser();
    const patientPage = await browser.newPage('patient');
    const doctorPage = await browser.newPage('doctor');
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
    await browser?.close();
    await stack?.close();
  });

  it('the patient adds a record, encrypted in the browser and anchored on chain', async () => {
    await patient.goto(`${stack.appUrl}#/patient`);
    await patient.getByTestId('patient-ready').waitFor();
    await patient.getByTestId('record-title').fill('Blood test');
    await patient.getByTestId('record-text-input').fill('Hemoglobin 14.2 g/dL, leukocytes 6.1 G/L');
    await patient.getByTestId('add-record').click();
    await expect.poll(() => patient.getByTestId('add-status').textContent()).toMatch(/^Stored and anchored: b/);
    const row = patient.getByTestId('record-row').first();
    await expect.poll(() => row.textContent()).toContain('Hemoglobin 14.2 g/dL');
    await browser.screenshot(patient, '01-patient-record-added');
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
    const row = patient.getByTestId('record-row').first();
    await expect.poll(() => row.textContent()).toContain('Hemoglobin 14.2 g/dL');
  });

  it("the doctor's page shows nothing before access", async () => {
    await doctor.goto(`${stack.appUrl}#/doctor`);
    await doctor.getByTestId('doctor-ready').waitFor();
    await expect.poll(() => doctor.getByTestId('access-status').textContent()).toBe('No access');
    expect(await doctor.getByTestId('no-access').isVisible()).toBe(true);
    expect(await doctor.getByTestId('records').count()).toBe(0);
    await browser.screenshot(doctor, '02-doctor-before-access');
  });

  it('the doctor requests access and enters the one-time code the patient shows', async () => {
    await doctor.getByTestId('request-purpose').selectOption('ETREAT'); // a code of the published vocabulary
    await doctor.getByTestId('request-access').click();
    await expect.poll(() => doctor.getByTestId('access-status').textContent()).toBe('Request pending');
    await expect
      .poll(() => patient.getByTestId('requested-purpose').first().textContent(), { timeout: 15_000 })
      .toBe('Emergency Treatment');

    await patient.getByTestId('show-code').click({ timeout: 15_000 });
    const code = (await patient.getByTestId('otp-code').textContent())!.trim();
    expect(code).toMatch(/^\d{6}$/);
    await browser.screenshot(patient, '03-patient-shows-code');

    await doctor.getByTestId('otp-input').fill(code);
    await doctor.getByTestId('send-code').click();
    await expect
      .poll(() => doctor.getByTestId('access-status').textContent(), { timeout: 30_000 })
      .toBe('Access granted');
    await expect.poll(() => patient.getByTestId('consent-log').first().textContent()).toContain('access granted');
  });

  it('the doctor reads the record with its timestamps, decrypted in its browser', async () => {
    const row = doctor.getByTestId('record-row').first();
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('Hemoglobin 14.2 g/dL');
    expect(await row.textContent()).toContain('Blood test');
    const anchoredAt = await row.getByTestId('anchored-at').textContent();
    expect(anchoredAt).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    await browser.screenshot(doctor, '04-doctor-after-access');
  });

  it('the patient shares a live ECG and the doctor sees it move, with the heart rate', async () => {
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
    await browser.screenshot(doctor, '05-doctor-live-ecg');
    await browser.screenshot(patient, '06-patient-sharing-ecg');
  });

  it('the patient revokes the last doctor mid-stream: the share pauses and the doctor opens no frame after', async () => {
    const opened = async () => Number(await doctor.getByTestId('ecg-status').getAttribute('data-frames'));
    const patientSamples = async () =>
      Number((await patient.getByTestId('patient-ecg').getAttribute('data-samples')) ?? 0);
    await expect.poll(() => patient.getByTestId('live-share-status').textContent()).toMatch(/^Live: frames sealed/);
    const beforeRevoke = await opened();
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

    // The doctor's page is told the stream's new key is not for it; the chain shows the revocation.
    const denied = doctor.getByTestId('ecg-denied');
    await denied.waitFor({ timeout: 15_000 });
    await expect
      .poll(() => patient.getByTestId('revoke-log').textContent(), { timeout: 30_000 })
      .toMatch(/^Access revoked for 0x/);
    await expect.poll(() => patient.getByTestId('granted-doctor').count()).toBe(0);
    await expect.poll(() => doctor.getByTestId('access-status').textContent()).toBe('No access');
    await expect.poll(() => denied.textContent()).toMatch(/^Your access was revoked/);
    expect(await opened()).toBe(atRevocation);
    expect(await doctor.getByTestId('ecg-error').count()).toBe(0);
    await browser.screenshot(patient, '07-patient-share-paused');
    await browser.screenshot(doctor, '08-doctor-revoked');
  });

  it('logged no errors in either browser', () => {
    expect(errors).toEqual([]);
  });
});
