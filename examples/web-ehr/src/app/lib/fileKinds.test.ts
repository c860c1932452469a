import { describe, expect, it } from 'vitest';
import { contentKind, describeFile, downloadName, kindLabel } from './fileKinds.js';

describe('file kinds', () => {
  it('names downloads after the title with the extension of the media type', () => {
    expect(downloadName('Discharge letter', 'application/pdf')).toBe('Discharge-letter.pdf');
    expect(downloadName('chest x-ray.png', 'image/png')).toBe('chest-x-ray.png');
    expect(downloadName('../../etc/passwd', 'application/octet-stream')).toBe('etcpasswd.bin');
    expect(downloadName(undefined, 'text/plain')).toBe('record.txt');
  });

  it('recognises FHIR JSON by its resourceType, whatever the file says', async () => {
    const file = new File(['{"resourceType":"Observation","status":"final"}'], 'hb.json', { type: '' });
    expect(await describeFile(file)).toEqual({
      mediaType: 'application/fhir+json',
      resourceType: 'Observation',
      category: 'report',
    });
    const plain = new File(['{"a":1}'], 'data.json', { type: 'application/json' });
    expect((await describeFile(plain)).mediaType).toBe('application/json');
  });

  it('labels kinds for the list', () => {
    expect(kindLabel('application/fhir+json', 'Observation')).toBe('FHIR Observation');
    expect(kindLabel('image/png')).toBe('Image (PNG)');
    expect(contentKind('application/pdf')).toBe('pdf');
  });
});
