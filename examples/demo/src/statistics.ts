import type { Progress } from './console.js';
import type { ReportData } from './report.js';

export interface RunStatisticsParameters {
  progress: Progress;
}

/** Placeholder until the statistics package lands: prints nothing. */
export async function runStatistics(parameters: RunStatisticsParameters): Promise<ReportData['statistics']> {
  parameters.progress.info('statistics: not available yet');
  return [];
}
