import type { RecordCategoryName } from '../../common/config.js';

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
  'application/fhir+json': 'json',
  'application/json': 'json',
  'text/plain': 'txt',
  'text/csv': 'csv',
};

/** What kind of content a media type holds, for the viewer and the record list. */
export type ContentKind = 'pdf' | 'image' | 'fhir' | 'text' | 'other';

/** The content kind of a media type. */
export function contentKind(mediaType: string): ContentKind {
  if (mediaType === 'application/pdf') return 'pdf';
  if (mediaType.startsWith('image/')) return 'image';
  if (mediaType === 'application/fhir+json') return 'fhir';
  if (mediaType.startsWith('text/') || mediaType.endsWith('json')) return 'text';
  return 'other';
}

/** A short name of a media type for lists: `PDF`, `Image (PNG)`, `FHIR Observation`, `Text`. */
export function kindLabel(mediaType: string, resourceType?: string): string {
  switch (contentKind(mediaType)) {
    case 'pdf':
      return 'PDF';
    case 'image':
      return `Image (${(EXTENSIONS[mediaType] ?? mediaType.slice(6)).toUpperCase()})`;
    case 'fhir':
      return resourceType ? `FHIR ${resourceType}` : 'FHIR';
    case 'text':
      return mediaType === 'text/plain' ? 'Text' : mediaType;
    default:
      return mediaType;
  }
}

/** A file name for a downloaded record: its title, made safe, with the extension of its media type. */
export function downloadName(title: string | undefined, mediaType: string): string {
  const base =
    (title ?? 'record')
      .normalize('NFKD')
      .replace(/[^\w .-]+/g, '')
      .replace(/^[.\s]+/, '')
      .trim()
      .replace(/\s+/g, '-')
      .slice(0, 80) || 'record';
  const extension = EXTENSIONS[mediaType] ?? 'bin';
  return base.toLowerCase().endsWith(`.${extension}`) ? base : `${base}.${extension}`;
}

/** What the upload form makes of a chosen file: its media type, FHIR resource type and a likely category. */
export async function describeFile(
  file: File,
): Promise<{ mediaType: string; resourceType?: string; category: RecordCategoryName }> {
  const mediaType = file.type || 'application/octet-stream';
  if (mediaType === 'application/pdf') return { mediaType, category: 'report' };
  if (mediaType.startsWith('image/')) return { mediaType, category: 'imaging' };
  if (mediaType.includes('json') || file.name.toLowerCase().endsWith('.json')) {
    try {
      const value = JSON.parse(await file.text()) as { resourceType?: unknown };
      if (typeof value?.resourceType === 'string')
        return { mediaType: 'application/fhir+json', resourceType: value.resourceType, category: 'report' };
    } catch {}
    return { mediaType: 'application/json', category: 'note' };
  }
  return { mediaType, category: 'note' };
}
