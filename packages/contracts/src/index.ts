export * from './codec.js';
export {
  Court,
  Debtor,
  NoticeParams,
  NoticeSubmission,
  Officer,
  Person,
  Seal,
  Target,
} from './gen/enforcement/v1/common.js';
export {
  CaseControls,
  FreezeDeductServiceClient,
  type FreezeDeductServiceServer,
  FreezeDeductServiceService,
  GetCaseControlsRequest,
  GetCaseControlsResponse,
  HoldView,
  PendingControl,
} from './gen/enforcement/v1/controls.js';
export {
  CourtServiceClient,
  type CourtServiceServer,
  CourtServiceService,
  GetNoticeRequest,
  GetNoticeResponse,
  SubmitNoticeRequest,
  SubmitNoticeResponse,
  SubmitNoticeResult,
  SubmitNoticesRequest,
  SubmitNoticesResponse,
} from './gen/enforcement/v1/court.js';
export {
  EventEnvelope,
  HoldChangeReported,
  NoticeCompleted,
  NoticeIssued,
  RequestAcknowledged,
  RequestAnswered,
  RequestBreached,
  RequestDelivered,
  RequestDispatched,
  RequestEscalated,
  RequestFailed,
} from './gen/enforcement/v1/events.js';
export {
  AgencyReport,
  DebtorReport,
  Fact,
  GetPropertyReportRequest,
  GetPropertyReportResponse,
  NoticeView,
  PropertyReport,
  QueryServiceClient,
  type QueryServiceServer,
  QueryServiceService,
  RequestView,
  TimelineEntry,
  TrackerServiceClient,
  TrackerServiceGetNoticeRequest,
  TrackerServiceGetNoticeResponse,
  type TrackerServiceServer,
  TrackerServiceService,
} from './gen/enforcement/v1/tracking.js';
export * from './notice-mapper.js';
export * from './topics.js';
