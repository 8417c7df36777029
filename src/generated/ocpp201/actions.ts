// GENERATED, DO NOT EDIT. Source: schemas/ocpp2.0.1/ (OCA JSON schemas, patched in memory by scripts/codegen/patches.ts). Generator: scripts/generate.ts (npm run generate).

import type {
  AuthorizeRequest,
  AuthorizeResponse,
  BootNotificationRequest,
  BootNotificationResponse,
  CancelReservationRequest,
  CancelReservationResponse,
  CertificateSignedRequest,
  CertificateSignedResponse,
  ChangeAvailabilityRequest,
  ChangeAvailabilityResponse,
  ClearCacheRequest,
  ClearCacheResponse,
  ClearChargingProfileRequest,
  ClearChargingProfileResponse,
  ClearDisplayMessageRequest,
  ClearDisplayMessageResponse,
  ClearVariableMonitoringRequest,
  ClearVariableMonitoringResponse,
  ClearedChargingLimitRequest,
  ClearedChargingLimitResponse,
  CostUpdatedRequest,
  CostUpdatedResponse,
  CustomerInformationRequest,
  CustomerInformationResponse,
  DataTransferRequest,
  DataTransferResponse,
  DeleteCertificateRequest,
  DeleteCertificateResponse,
  FirmwareStatusNotificationRequest,
  FirmwareStatusNotificationResponse,
  Get15118EVCertificateRequest,
  Get15118EVCertificateResponse,
  GetBaseReportRequest,
  GetBaseReportResponse,
  GetCertificateStatusRequest,
  GetCertificateStatusResponse,
  GetChargingProfilesRequest,
  GetChargingProfilesResponse,
  GetCompositeScheduleRequest,
  GetCompositeScheduleResponse,
  GetDisplayMessagesRequest,
  GetDisplayMessagesResponse,
  GetInstalledCertificateIdsRequest,
  GetInstalledCertificateIdsResponse,
  GetLocalListVersionRequest,
  GetLocalListVersionResponse,
  GetLogRequest,
  GetLogResponse,
  GetMonitoringReportRequest,
  GetMonitoringReportResponse,
  GetReportRequest,
  GetReportResponse,
  GetTransactionStatusRequest,
  GetTransactionStatusResponse,
  GetVariablesRequest,
  GetVariablesResponse,
  HeartbeatRequest,
  HeartbeatResponse,
  InstallCertificateRequest,
  InstallCertificateResponse,
  LogStatusNotificationRequest,
  LogStatusNotificationResponse,
  MeterValuesRequest,
  MeterValuesResponse,
  NotifyChargingLimitRequest,
  NotifyChargingLimitResponse,
  NotifyCustomerInformationRequest,
  NotifyCustomerInformationResponse,
  NotifyDisplayMessagesRequest,
  NotifyDisplayMessagesResponse,
  NotifyEVChargingNeedsRequest,
  NotifyEVChargingNeedsResponse,
  NotifyEVChargingScheduleRequest,
  NotifyEVChargingScheduleResponse,
  NotifyEventRequest,
  NotifyEventResponse,
  NotifyMonitoringReportRequest,
  NotifyMonitoringReportResponse,
  NotifyReportRequest,
  NotifyReportResponse,
  PublishFirmwareRequest,
  PublishFirmwareResponse,
  PublishFirmwareStatusNotificationRequest,
  PublishFirmwareStatusNotificationResponse,
  ReportChargingProfilesRequest,
  ReportChargingProfilesResponse,
  RequestStartTransactionRequest,
  RequestStartTransactionResponse,
  RequestStopTransactionRequest,
  RequestStopTransactionResponse,
  ReservationStatusUpdateRequest,
  ReservationStatusUpdateResponse,
  ReserveNowRequest,
  ReserveNowResponse,
  ResetRequest,
  ResetResponse,
  SecurityEventNotificationRequest,
  SecurityEventNotificationResponse,
  SendLocalListRequest,
  SendLocalListResponse,
  SetChargingProfileRequest,
  SetChargingProfileResponse,
  SetDisplayMessageRequest,
  SetDisplayMessageResponse,
  SetMonitoringBaseRequest,
  SetMonitoringBaseResponse,
  SetMonitoringLevelRequest,
  SetMonitoringLevelResponse,
  SetNetworkProfileRequest,
  SetNetworkProfileResponse,
  SetVariableMonitoringRequest,
  SetVariableMonitoringResponse,
  SetVariablesRequest,
  SetVariablesResponse,
  SignCertificateRequest,
  SignCertificateResponse,
  StatusNotificationRequest,
  StatusNotificationResponse,
  TransactionEventRequest,
  TransactionEventResponse,
  TriggerMessageRequest,
  TriggerMessageResponse,
  UnlockConnectorRequest,
  UnlockConnectorResponse,
  UnpublishFirmwareRequest,
  UnpublishFirmwareResponse,
  UpdateFirmwareRequest,
  UpdateFirmwareResponse,
} from './types';

/**
 * Every ocpp2.0.1 action with its request and response types and the side that sends the
 * request (`sentBy`: `'ChargePoint'`, `'CentralSystem'` or `'Both'`).
 * 2.0.1 calls the two sides Charging Station and CSMS; this SDK uses the same words for
 * every version: `'ChargePoint'` is the Charging Station and `'CentralSystem'` the CSMS.
 */
export interface OCPP201ActionMap {
  /** Sent by the Charging Station. */
  Authorize: { request: AuthorizeRequest; response: AuthorizeResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  BootNotification: { request: BootNotificationRequest; response: BootNotificationResponse; sentBy: 'ChargePoint' };
  /** Sent by the CSMS. */
  CancelReservation: { request: CancelReservationRequest; response: CancelReservationResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  CertificateSigned: { request: CertificateSignedRequest; response: CertificateSignedResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  ChangeAvailability: { request: ChangeAvailabilityRequest; response: ChangeAvailabilityResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  ClearCache: { request: ClearCacheRequest; response: ClearCacheResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  ClearChargingProfile: { request: ClearChargingProfileRequest; response: ClearChargingProfileResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  ClearDisplayMessage: { request: ClearDisplayMessageRequest; response: ClearDisplayMessageResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  ClearVariableMonitoring: { request: ClearVariableMonitoringRequest; response: ClearVariableMonitoringResponse; sentBy: 'CentralSystem' };
  /** Sent by the Charging Station. */
  ClearedChargingLimit: { request: ClearedChargingLimitRequest; response: ClearedChargingLimitResponse; sentBy: 'ChargePoint' };
  /** Sent by the CSMS. */
  CostUpdated: { request: CostUpdatedRequest; response: CostUpdatedResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  CustomerInformation: { request: CustomerInformationRequest; response: CustomerInformationResponse; sentBy: 'CentralSystem' };
  /** Sent by either side. */
  DataTransfer: { request: DataTransferRequest; response: DataTransferResponse; sentBy: 'Both' };
  /** Sent by the CSMS. */
  DeleteCertificate: { request: DeleteCertificateRequest; response: DeleteCertificateResponse; sentBy: 'CentralSystem' };
  /** Sent by the Charging Station. */
  FirmwareStatusNotification: { request: FirmwareStatusNotificationRequest; response: FirmwareStatusNotificationResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  Get15118EVCertificate: { request: Get15118EVCertificateRequest; response: Get15118EVCertificateResponse; sentBy: 'ChargePoint' };
  /** Sent by the CSMS. */
  GetBaseReport: { request: GetBaseReportRequest; response: GetBaseReportResponse; sentBy: 'CentralSystem' };
  /** Sent by the Charging Station. */
  GetCertificateStatus: { request: GetCertificateStatusRequest; response: GetCertificateStatusResponse; sentBy: 'ChargePoint' };
  /** Sent by the CSMS. */
  GetChargingProfiles: { request: GetChargingProfilesRequest; response: GetChargingProfilesResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  GetCompositeSchedule: { request: GetCompositeScheduleRequest; response: GetCompositeScheduleResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  GetDisplayMessages: { request: GetDisplayMessagesRequest; response: GetDisplayMessagesResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  GetInstalledCertificateIds: { request: GetInstalledCertificateIdsRequest; response: GetInstalledCertificateIdsResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  GetLocalListVersion: { request: GetLocalListVersionRequest; response: GetLocalListVersionResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  GetLog: { request: GetLogRequest; response: GetLogResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  GetMonitoringReport: { request: GetMonitoringReportRequest; response: GetMonitoringReportResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  GetReport: { request: GetReportRequest; response: GetReportResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  GetTransactionStatus: { request: GetTransactionStatusRequest; response: GetTransactionStatusResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  GetVariables: { request: GetVariablesRequest; response: GetVariablesResponse; sentBy: 'CentralSystem' };
  /** Sent by the Charging Station. */
  Heartbeat: { request: HeartbeatRequest; response: HeartbeatResponse; sentBy: 'ChargePoint' };
  /** Sent by the CSMS. */
  InstallCertificate: { request: InstallCertificateRequest; response: InstallCertificateResponse; sentBy: 'CentralSystem' };
  /** Sent by the Charging Station. */
  LogStatusNotification: { request: LogStatusNotificationRequest; response: LogStatusNotificationResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  MeterValues: { request: MeterValuesRequest; response: MeterValuesResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  NotifyChargingLimit: { request: NotifyChargingLimitRequest; response: NotifyChargingLimitResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  NotifyCustomerInformation: { request: NotifyCustomerInformationRequest; response: NotifyCustomerInformationResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  NotifyDisplayMessages: { request: NotifyDisplayMessagesRequest; response: NotifyDisplayMessagesResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  NotifyEVChargingNeeds: { request: NotifyEVChargingNeedsRequest; response: NotifyEVChargingNeedsResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  NotifyEVChargingSchedule: { request: NotifyEVChargingScheduleRequest; response: NotifyEVChargingScheduleResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  NotifyEvent: { request: NotifyEventRequest; response: NotifyEventResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  NotifyMonitoringReport: { request: NotifyMonitoringReportRequest; response: NotifyMonitoringReportResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  NotifyReport: { request: NotifyReportRequest; response: NotifyReportResponse; sentBy: 'ChargePoint' };
  /** Sent by the CSMS. */
  PublishFirmware: { request: PublishFirmwareRequest; response: PublishFirmwareResponse; sentBy: 'CentralSystem' };
  /** Sent by the Charging Station. */
  PublishFirmwareStatusNotification: { request: PublishFirmwareStatusNotificationRequest; response: PublishFirmwareStatusNotificationResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  ReportChargingProfiles: { request: ReportChargingProfilesRequest; response: ReportChargingProfilesResponse; sentBy: 'ChargePoint' };
  /** Sent by the CSMS. */
  RequestStartTransaction: { request: RequestStartTransactionRequest; response: RequestStartTransactionResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  RequestStopTransaction: { request: RequestStopTransactionRequest; response: RequestStopTransactionResponse; sentBy: 'CentralSystem' };
  /** Sent by the Charging Station. */
  ReservationStatusUpdate: { request: ReservationStatusUpdateRequest; response: ReservationStatusUpdateResponse; sentBy: 'ChargePoint' };
  /** Sent by the CSMS. */
  ReserveNow: { request: ReserveNowRequest; response: ReserveNowResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  Reset: { request: ResetRequest; response: ResetResponse; sentBy: 'CentralSystem' };
  /** Sent by the Charging Station. */
  SecurityEventNotification: { request: SecurityEventNotificationRequest; response: SecurityEventNotificationResponse; sentBy: 'ChargePoint' };
  /** Sent by the CSMS. */
  SendLocalList: { request: SendLocalListRequest; response: SendLocalListResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  SetChargingProfile: { request: SetChargingProfileRequest; response: SetChargingProfileResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  SetDisplayMessage: { request: SetDisplayMessageRequest; response: SetDisplayMessageResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  SetMonitoringBase: { request: SetMonitoringBaseRequest; response: SetMonitoringBaseResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  SetMonitoringLevel: { request: SetMonitoringLevelRequest; response: SetMonitoringLevelResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  SetNetworkProfile: { request: SetNetworkProfileRequest; response: SetNetworkProfileResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  SetVariableMonitoring: { request: SetVariableMonitoringRequest; response: SetVariableMonitoringResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  SetVariables: { request: SetVariablesRequest; response: SetVariablesResponse; sentBy: 'CentralSystem' };
  /** Sent by the Charging Station. */
  SignCertificate: { request: SignCertificateRequest; response: SignCertificateResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  StatusNotification: { request: StatusNotificationRequest; response: StatusNotificationResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  TransactionEvent: { request: TransactionEventRequest; response: TransactionEventResponse; sentBy: 'ChargePoint' };
  /** Sent by the CSMS. */
  TriggerMessage: { request: TriggerMessageRequest; response: TriggerMessageResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  UnlockConnector: { request: UnlockConnectorRequest; response: UnlockConnectorResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  UnpublishFirmware: { request: UnpublishFirmwareRequest; response: UnpublishFirmwareResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  UpdateFirmware: { request: UpdateFirmwareRequest; response: UpdateFirmwareResponse; sentBy: 'CentralSystem' };
}

/**
 * Who sends each ocpp2.0.1 action's request, at run time. The `satisfies` clause makes the
 * compiler check that this table and {@link OCPP201ActionMap} list the same actions.
 * 2.0.1 calls the two sides Charging Station and CSMS; this SDK uses the same words for
 * every version: `'ChargePoint'` is the Charging Station and `'CentralSystem'` the CSMS.
 */
export const OCPP201_ACTIONS = {
  Authorize: 'ChargePoint',
  BootNotification: 'ChargePoint',
  CancelReservation: 'CentralSystem',
  CertificateSigned: 'CentralSystem',
  ChangeAvailability: 'CentralSystem',
  ClearCache: 'CentralSystem',
  ClearChargingProfile: 'CentralSystem',
  ClearDisplayMessage: 'CentralSystem',
  ClearVariableMonitoring: 'CentralSystem',
  ClearedChargingLimit: 'ChargePoint',
  CostUpdated: 'CentralSystem',
  CustomerInformation: 'CentralSystem',
  DataTransfer: 'Both',
  DeleteCertificate: 'CentralSystem',
  FirmwareStatusNotification: 'ChargePoint',
  Get15118EVCertificate: 'ChargePoint',
  GetBaseReport: 'CentralSystem',
  GetCertificateStatus: 'ChargePoint',
  GetChargingProfiles: 'CentralSystem',
  GetCompositeSchedule: 'CentralSystem',
  GetDisplayMessages: 'CentralSystem',
  GetInstalledCertificateIds: 'CentralSystem',
  GetLocalListVersion: 'CentralSystem',
  GetLog: 'CentralSystem',
  GetMonitoringReport: 'CentralSystem',
  GetReport: 'CentralSystem',
  GetTransactionStatus: 'CentralSystem',
  GetVariables: 'CentralSystem',
  Heartbeat: 'ChargePoint',
  InstallCertificate: 'CentralSystem',
  LogStatusNotification: 'ChargePoint',
  MeterValues: 'ChargePoint',
  NotifyChargingLimit: 'ChargePoint',
  NotifyCustomerInformation: 'ChargePoint',
  NotifyDisplayMessages: 'ChargePoint',
  NotifyEVChargingNeeds: 'ChargePoint',
  NotifyEVChargingSchedule: 'ChargePoint',
  NotifyEvent: 'ChargePoint',
  NotifyMonitoringReport: 'ChargePoint',
  NotifyReport: 'ChargePoint',
  PublishFirmware: 'CentralSystem',
  PublishFirmwareStatusNotification: 'ChargePoint',
  ReportChargingProfiles: 'ChargePoint',
  RequestStartTransaction: 'CentralSystem',
  RequestStopTransaction: 'CentralSystem',
  ReservationStatusUpdate: 'ChargePoint',
  ReserveNow: 'CentralSystem',
  Reset: 'CentralSystem',
  SecurityEventNotification: 'ChargePoint',
  SendLocalList: 'CentralSystem',
  SetChargingProfile: 'CentralSystem',
  SetDisplayMessage: 'CentralSystem',
  SetMonitoringBase: 'CentralSystem',
  SetMonitoringLevel: 'CentralSystem',
  SetNetworkProfile: 'CentralSystem',
  SetVariableMonitoring: 'CentralSystem',
  SetVariables: 'CentralSystem',
  SignCertificate: 'ChargePoint',
  StatusNotification: 'ChargePoint',
  TransactionEvent: 'ChargePoint',
  TriggerMessage: 'CentralSystem',
  UnlockConnector: 'CentralSystem',
  UnpublishFirmware: 'CentralSystem',
  UpdateFirmware: 'CentralSystem',
} as const satisfies Record<keyof OCPP201ActionMap, 'ChargePoint' | 'CentralSystem' | 'Both'>;
