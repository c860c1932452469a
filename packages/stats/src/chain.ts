/**
 * `@mhrchain/stats/chain`: the `ReportLedger` over the `DiseaseReports` contract (ethers v6 and
 * `@mhrchain/contracts`). Kept apart from the main entry so the mechanism and the aggregation carry no chain code.
 *
 * @packageDocumentation
 */
export { type CreateChainReportLedgerParameters, createChainReportLedger } from './chainReportLedger.js';
