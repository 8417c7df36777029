// GENERATED, DO NOT EDIT. Source: schemas/ocpp2.1/ (OCA JSON schemas, patched in memory by scripts/codegen/patches.ts). Generator: scripts/generate.ts (npm run generate).

import type {
  AFRRSignalRequest,
  AFRRSignalResponse,
  AdjustPeriodicEventStreamRequest,
  AdjustPeriodicEventStreamResponse,
  AuthorizeRequest,
  AuthorizeResponse,
  BatterySwapRequest,
  BatterySwapResponse,
  BootNotificationRequest,
  BootNotificationResponse,
  CancelReservationRequest,
  CancelReservationResponse,
  CertificateSignedRequest,
  CertificateSignedResponse,
  ChangeAvailabilityRequest,
  ChangeAvailabilityResponse,
  ChangeTransactionTariffRequest,
  ChangeTransactionTariffResponse,
  ClearCacheRequest,
  ClearCacheResponse,
  ClearChargingProfileRequest,
  ClearChargingProfileResponse,
  ClearDERControlRequest,
  ClearDERControlResponse,
  ClearDisplayMessageRequest,
  ClearDisplayMessageResponse,
  ClearTariffsRequest,
  ClearTariffsResponse,
  ClearVariableMonitoringRequest,
  ClearVariableMonitoringResponse,
  ClearedChargingLimitRequest,
  ClearedChargingLimitResponse,
  ClosePeriodicEventStreamRequest,
  ClosePeriodicEventStreamResponse,
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
  GetCertificateChainStatusRequest,
  GetCertificateChainStatusResponse,
  GetCertificateStatusRequest,
  GetCertificateStatusResponse,
  GetChargingProfilesRequest,
  GetChargingProfilesResponse,
  GetCompositeScheduleRequest,
  GetCompositeScheduleResponse,
  GetDERControlRequest,
  GetDERControlResponse,
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
  GetPeriodicEventStreamRequest,
  GetPeriodicEventStreamResponse,
  GetReportRequest,
  GetReportResponse,
  GetTariffsRequest,
  GetTariffsResponse,
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
  NotifyAllowedEnergyTransferRequest,
  NotifyAllowedEnergyTransferResponse,
  NotifyChargingLimitRequest,
  NotifyChargingLimitResponse,
  NotifyCustomerInformationRequest,
  NotifyCustomerInformationResponse,
  NotifyDERAlarmRequest,
  NotifyDERAlarmResponse,
  NotifyDERStartStopRequest,
  NotifyDERStartStopResponse,
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
  NotifyPeriodicEventStream,
  NotifyPriorityChargingRequest,
  NotifyPriorityChargingResponse,
  NotifyReportRequest,
  NotifyReportResponse,
  NotifySettlementRequest,
  NotifySettlementResponse,
  NotifyWebPaymentStartedRequest,
  NotifyWebPaymentStartedResponse,
  OpenPeriodicEventStreamRequest,
  OpenPeriodicEventStreamResponse,
  PublishFirmwareRequest,
  PublishFirmwareResponse,
  PublishFirmwareStatusNotificationRequest,
  PublishFirmwareStatusNotificationResponse,
  PullDynamicScheduleUpdateRequest,
  PullDynamicScheduleUpdateResponse,
  ReportChargingProfilesRequest,
  ReportChargingProfilesResponse,
  ReportDERControlRequest,
  ReportDERControlResponse,
  RequestBatterySwapRequest,
  RequestBatterySwapResponse,
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
  SetDERControlRequest,
  SetDERControlResponse,
  SetDefaultTariffRequest,
  SetDefaultTariffResponse,
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
  UpdateDynamicScheduleRequest,
  UpdateDynamicScheduleResponse,
  UpdateFirmwareRequest,
  UpdateFirmwareResponse,
  UsePriorityChargingRequest,
  UsePriorityChargingResponse,
  VatNumberValidationRequest,
  VatNumberValidationResponse,
} from './types';

/**
 * Every ocpp2.1 action with its request and response types and the side that sends the
 * request (`sentBy`: `'ChargePoint'`, `'CentralSystem'` or `'Both'`).
 * 2.1 calls the two sides Charging Station and CSMS; this SDK uses the same words for
 * every version: `'ChargePoint'` is the Charging Station and `'CentralSystem'` the CSMS.
 * An action that travels as a SEND (message type 6) has `messageType: 'SEND'` and `response: never`;
 * the others travel as CALL and CALLRESULT.
 */
export interface OCPP21ActionMap {
  /** Sent by the CSMS. */
  AFRRSignal: { request: AFRRSignalRequest; response: AFRRSignalResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  AdjustPeriodicEventStream: { request: AdjustPeriodicEventStreamRequest; response: AdjustPeriodicEventStreamResponse; sentBy: 'CentralSystem' };
  /** Sent by the Charging Station. */
  Authorize: { request: AuthorizeRequest; response: AuthorizeResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  BatterySwap: { request: BatterySwapRequest; response: BatterySwapResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  BootNotification: { request: BootNotificationRequest; response: BootNotificationResponse; sentBy: 'ChargePoint' };
  /** Sent by the CSMS. */
  CancelReservation: { request: CancelReservationRequest; response: CancelReservationResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  CertificateSigned: { request: CertificateSignedRequest; response: CertificateSignedResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  ChangeAvailability: { request: ChangeAvailabilityRequest; response: ChangeAvailabilityResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  ChangeTransactionTariff: { request: ChangeTransactionTariffRequest; response: ChangeTransactionTariffResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  ClearCache: { request: ClearCacheRequest; response: ClearCacheResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  ClearChargingProfile: { request: ClearChargingProfileRequest; response: ClearChargingProfileResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  ClearDERControl: { request: ClearDERControlRequest; response: ClearDERControlResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  ClearDisplayMessage: { request: ClearDisplayMessageRequest; response: ClearDisplayMessageResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  ClearTariffs: { request: ClearTariffsRequest; response: ClearTariffsResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  ClearVariableMonitoring: { request: ClearVariableMonitoringRequest; response: ClearVariableMonitoringResponse; sentBy: 'CentralSystem' };
  /** Sent by the Charging Station. */
  ClearedChargingLimit: { request: ClearedChargingLimitRequest; response: ClearedChargingLimitResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  ClosePeriodicEventStream: { request: ClosePeriodicEventStreamRequest; response: ClosePeriodicEventStreamResponse; sentBy: 'ChargePoint' };
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
  GetCertificateChainStatus: { request: GetCertificateChainStatusRequest; response: GetCertificateChainStatusResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  GetCertificateStatus: { request: GetCertificateStatusRequest; response: GetCertificateStatusResponse; sentBy: 'ChargePoint' };
  /** Sent by the CSMS. */
  GetChargingProfiles: { request: GetChargingProfilesRequest; response: GetChargingProfilesResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  GetCompositeSchedule: { request: GetCompositeScheduleRequest; response: GetCompositeScheduleResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  GetDERControl: { request: GetDERControlRequest; response: GetDERControlResponse; sentBy: 'CentralSystem' };
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
  GetPeriodicEventStream: { request: GetPeriodicEventStreamRequest; response: GetPeriodicEventStreamResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  GetReport: { request: GetReportRequest; response: GetReportResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  GetTariffs: { request: GetTariffsRequest; response: GetTariffsResponse; sentBy: 'CentralSystem' };
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
  /** Sent by the CSMS. */
  NotifyAllowedEnergyTransfer: { request: NotifyAllowedEnergyTransferRequest; response: NotifyAllowedEnergyTransferResponse; sentBy: 'CentralSystem' };
  /** Sent by the Charging Station. */
  NotifyChargingLimit: { request: NotifyChargingLimitRequest; response: NotifyChargingLimitResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  NotifyCustomerInformation: { request: NotifyCustomerInformationRequest; response: NotifyCustomerInformationResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  NotifyDERAlarm: { request: NotifyDERAlarmRequest; response: NotifyDERAlarmResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  NotifyDERStartStop: { request: NotifyDERStartStopRequest; response: NotifyDERStartStopResponse; sentBy: 'ChargePoint' };
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
  /** Sent by the Charging Station. Travels as a SEND (message type 6): never answered, so its `response` is `never`. */
  NotifyPeriodicEventStream: { request: NotifyPeriodicEventStream; response: never; sentBy: 'ChargePoint'; messageType: 'SEND' };
  /** Sent by the Charging Station. */
  NotifyPriorityCharging: { request: NotifyPriorityChargingRequest; response: NotifyPriorityChargingResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  NotifyReport: { request: NotifyReportRequest; response: NotifyReportResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  NotifySettlement: { request: NotifySettlementRequest; response: NotifySettlementResponse; sentBy: 'ChargePoint' };
  /** Sent by the CSMS. */
  NotifyWebPaymentStarted: { request: NotifyWebPaymentStartedRequest; response: NotifyWebPaymentStartedResponse; sentBy: 'CentralSystem' };
  /** Sent by the Charging Station. */
  OpenPeriodicEventStream: { request: OpenPeriodicEventStreamRequest; response: OpenPeriodicEventStreamResponse; sentBy: 'ChargePoint' };
  /** Sent by the CSMS. */
  PublishFirmware: { request: PublishFirmwareRequest; response: PublishFirmwareResponse; sentBy: 'CentralSystem' };
  /** Sent by the Charging Station. */
  PublishFirmwareStatusNotification: { request: PublishFirmwareStatusNotificationRequest; response: PublishFirmwareStatusNotificationResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  PullDynamicScheduleUpdate: { request: PullDynamicScheduleUpdateRequest; response: PullDynamicScheduleUpdateResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  ReportChargingProfiles: { request: ReportChargingProfilesRequest; response: ReportChargingProfilesResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charging Station. */
  ReportDERControl: { request: ReportDERControlRequest; response: ReportDERControlResponse; sentBy: 'ChargePoint' };
  /** Sent by the CSMS. */
  RequestBatterySwap: { request: RequestBatterySwapRequest; response: RequestBatterySwapResponse; sentBy: 'CentralSystem' };
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
  SetDERControl: { request: SetDERControlRequest; response: SetDERControlResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  SetDefaultTariff: { request: SetDefaultTariffRequest; response: SetDefaultTariffResponse; sentBy: 'CentralSystem' };
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
  UpdateDynamicSchedule: { request: UpdateDynamicScheduleRequest; response: UpdateDynamicScheduleResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  UpdateFirmware: { request: UpdateFirmwareRequest; response: UpdateFirmwareResponse; sentBy: 'CentralSystem' };
  /** Sent by the CSMS. */
  UsePriorityCharging: { request: UsePriorityChargingRequest; response: UsePriorityChargingResponse; sentBy: 'CentralSystem' };
  /** Sent by the Charging Station. */
  VatNumberValidation: { request: VatNumberValidationRequest; response: VatNumberValidationResponse; sentBy: 'ChargePoint' };
}

/**
 * Who sends each ocpp2.1 action's request, at run time. The `satisfies` clause makes the
 * compiler check that this table and {@link OCPP21ActionMap} list the same actions.
 * 2.1 calls the two sides Charging Station and CSMS; this SDK uses the same words for
 * every version: `'ChargePoint'` is the Charging Station and `'CentralSystem'` the CSMS.
 */
export const OCPP21_ACTIONS = {
  AFRRSignal: 'CentralSystem',
  AdjustPeriodicEventStream: 'CentralSystem',
  Authorize: 'ChargePoint',
  BatterySwap: 'ChargePoint',
  BootNotification: 'ChargePoint',
  CancelReservation: 'CentralSystem',
  CertificateSigned: 'CentralSystem',
  ChangeAvailability: 'CentralSystem',
  ChangeTransactionTariff: 'CentralSystem',
  ClearCache: 'CentralSystem',
  ClearChargingProfile: 'CentralSystem',
  ClearDERControl: 'CentralSystem',
  ClearDisplayMessage: 'CentralSystem',
  ClearTariffs: 'CentralSystem',
  ClearVariableMonitoring: 'CentralSystem',
  ClearedChargingLimit: 'ChargePoint',
  ClosePeriodicEventStream: 'ChargePoint',
  CostUpdated: 'CentralSystem',
  CustomerInformation: 'CentralSystem',
  DataTransfer: 'Both',
  DeleteCertificate: 'CentralSystem',
  FirmwareStatusNotification: 'ChargePoint',
  Get15118EVCertificate: 'ChargePoint',
  GetBaseReport: 'CentralSystem',
  GetCertificateChainStatus: 'ChargePoint',
  GetCertificateStatus: 'ChargePoint',
  GetChargingProfiles: 'CentralSystem',
  GetCompositeSchedule: 'CentralSystem',
  GetDERControl: 'CentralSystem',
  GetDisplayMessages: 'CentralSystem',
  GetInstalledCertificateIds: 'CentralSystem',
  GetLocalListVersion: 'CentralSystem',
  GetLog: 'CentralSystem',
  GetMonitoringReport: 'CentralSystem',
  GetPeriodicEventStream: 'CentralSystem',
  GetReport: 'CentralSystem',
  GetTariffs: 'CentralSystem',
  GetTransactionStatus: 'CentralSystem',
  GetVariables: 'CentralSystem',
  Heartbeat: 'ChargePoint',
  InstallCertificate: 'CentralSystem',
  LogStatusNotification: 'ChargePoint',
  MeterValues: 'ChargePoint',
  NotifyAllowedEnergyTransfer: 'CentralSystem',
  NotifyChargingLimit: 'ChargePoint',
  NotifyCustomerInformation: 'ChargePoint',
  NotifyDERAlarm: 'ChargePoint',
  NotifyDERStartStop: 'ChargePoint',
  NotifyDisplayMessages: 'ChargePoint',
  NotifyEVChargingNeeds: 'ChargePoint',
  NotifyEVChargingSchedule: 'ChargePoint',
  NotifyEvent: 'ChargePoint',
  NotifyMonitoringReport: 'ChargePoint',
  NotifyPeriodicEventStream: 'ChargePoint',
  NotifyPriorityCharging: 'ChargePoint',
  NotifyReport: 'ChargePoint',
  NotifySettlement: 'ChargePoint',
  NotifyWebPaymentStarted: 'CentralSystem',
  OpenPeriodicEventStream: 'ChargePoint',
  PublishFirmware: 'CentralSystem',
  PublishFirmwareStatusNotification: 'ChargePoint',
  PullDynamicScheduleUpdate: 'ChargePoint',
  ReportChargingProfiles: 'ChargePoint',
  ReportDERControl: 'ChargePoint',
  RequestBatterySwap: 'CentralSystem',
  RequestStartTransaction: 'CentralSystem',
  RequestStopTransaction: 'CentralSystem',
  ReservationStatusUpdate: 'ChargePoint',
  ReserveNow: 'CentralSystem',
  Reset: 'CentralSystem',
  SecurityEventNotification: 'ChargePoint',
  SendLocalList: 'CentralSystem',
  SetChargingProfile: 'CentralSystem',
  SetDERControl: 'CentralSystem',
  SetDefaultTariff: 'CentralSystem',
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
  UpdateDynamicSchedule: 'CentralSystem',
  UpdateFirmware: 'CentralSystem',
  UsePriorityCharging: 'CentralSystem',
  VatNumberValidation: 'ChargePoint',
} as const satisfies Record<keyof OCPP21ActionMap, 'ChargePoint' | 'CentralSystem' | 'Both'>;

/**
 * The ocpp2.1 actions that travel as a SEND (message type 6): sent without a reply, and
 * never as a CALL. The `satisfies` clause checks each against {@link OCPP21ActionMap}'s `messageType`.
 */
export const OCPP21_SEND_ACTIONS = ['NotifyPeriodicEventStream'] as const satisfies readonly {
  [A in keyof OCPP21ActionMap]: OCPP21ActionMap[A] extends { messageType: 'SEND' } ? A : never;
}[keyof OCPP21ActionMap][];
