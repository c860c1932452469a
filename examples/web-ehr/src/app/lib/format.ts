import type { AccessScope } from '@mhrchain/consent';
import { categoryLabel } from '../../common/config.js';

const dateTime = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});

/** A time as the pages show it: local date and time with the time zone, e.g. `4 Dec 2026, 22:31:05 CET`. */
export function formatTime(time: Date | number | string): string {
  return dateTime.format(new Date(time));
}

/** A time in Unix seconds, formatted like {@link formatTime}. */
export function formatUnixTime(seconds: number): string {
  return formatTime(seconds * 1000);
}

/** A duration in seconds in words: `1 hour`, `7 days`, `90 minutes`. */
export function formatDuration(seconds: number): string {
  const units: Array<[number, string]> = [
    [86_400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) {
      const count = seconds / size;
      return `${count} ${name}${count === 1 ? '' : 's'}`;
    }
  }
  if (seconds >= 3600) return `${Math.round(seconds / 360) / 10} hours`;
  return `${seconds} seconds`;
}

/** What a scope covers, in words: `all records`, `Imaging records`, `2 listed records`. */
export function formatScope(scope: AccessScope): string {
  if (scope.kind === 'all') return 'all records';
  if (scope.kind === 'category') return `${categoryLabel(scope.category)} records`;
  return `${scope.recordIds.length} listed record${scope.recordIds.length === 1 ? '' : 's'}`;
}

/** `0x3C44…93BC`. */
export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** A byte count in words: `943 bytes`, `8.4 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
