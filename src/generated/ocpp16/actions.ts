// GENERATED, DO NOT EDIT. Source: schemas/ocpp1.6/ (OCA JSON schemas, patched in memory by scripts/codegen/patches.ts). Generator: scripts/generate.ts (npm run generate).

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
  ChangeConfigurationRequest,
  ChangeConfigurationResponse,
  ClearCacheRequest,
  ClearCacheResponse,
  ClearChargingProfileRequest,
  ClearChargingProfileResponse,
  DataTransferRequest,
  DataTransferResponse,
  DeleteCertificateRequest,
  DeleteCertificateResponse,
  DiagnosticsStatusNotificationRequest,
  DiagnosticsStatusNotificationResponse,
  ExtendedTriggerMessageRequest,
  ExtendedTriggerMessageResponse,
  FirmwareStatusNotificationRequest,
  FirmwareStatusNotificationResponse,
  GetCompositeScheduleRequest,
  GetCompositeScheduleResponse,
  GetConfigurationRequest,
  GetConfigurationResponse,
  GetDiagnosticsRequest,
  GetDiagnosticsResponse,
  GetInstalledCertificateIdsRequest,
  GetInstalledCertificateIdsResponse,
  GetLocalListVersionRequest,
  GetLocalListVersionResponse,
  GetLogRequest,
  GetLogResponse,
  HeartbeatRequest,
  HeartbeatResponse,
  InstallCertificateRequest,
  InstallCertificateResponse,
  LogStatusNotificationRequest,
  LogStatusNotificationResponse,
  MeterValuesRequest,
  MeterValuesResponse,
  RemoteStartTransactionRequest,
  RemoteStartTransactionResponse,
  RemoteStopTransactionRequest,
  RemoteStopTransactionResponse,
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
  SignCertificateRequest,
  SignCertificateResponse,
  SignedFirmwareStatusNotificationRequest,
  SignedFirmwareStatusNotificationResponse,
  SignedUpdateFirmwareRequest,
  SignedUpdateFirmwareResponse,
  StartTransactionRequest,
  StartTransactionResponse,
  StatusNotificationRequest,
  StatusNotificationResponse,
  StopTransactionRequest,
  StopTransactionResponse,
  TriggerMessageRequest,
  TriggerMessageResponse,
  UnlockConnectorRequest,
  UnlockConnectorResponse,
  UpdateFirmwareRequest,
  UpdateFirmwareResponse,
} from './types';

/**
 * Every ocpp1.6 action with its request and response types and the side that sends the
 * request (`sentBy`: `'ChargePoint'`, `'CentralSystem'` or `'Both'`).
 */
export interface OCPP16ActionMap {
  /** Sent by the Charge Point. */
  Authorize: { request: AuthorizeRequest; response: AuthorizeResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charge Point. */
  BootNotification: { request: BootNotificationRequest; response: BootNotificationResponse; sentBy: 'ChargePoint' };
  /** Sent by the Central System. */
  CancelReservation: { request: CancelReservationRequest; response: CancelReservationResponse; sentBy: 'CentralSystem' };
  /** Sent by the Central System. */
  CertificateSigned: { request: CertificateSignedRequest; response: CertificateSignedResponse; sentBy: 'CentralSystem' };
  /** Sent by the Central System. */
  ChangeAvailability: { request: ChangeAvailabilityRequest; response: ChangeAvailabilityResponse; sentBy: 'CentralSystem' };
  /** Sent by the Central System. */
  ChangeConfiguration: { request: ChangeConfigurationRequest; response: ChangeConfigurationResponse; sentBy: 'CentralSystem' };
  /** Sent by the Central System. */
  ClearCache: { request: ClearCacheRequest; response: ClearCacheResponse; sentBy: 'CentralSystem' };
  /** Sent by the Central System. */
  ClearChargingProfile: { request: ClearChargingProfileRequest; response: ClearChargingProfileResponse; sentBy: 'CentralSystem' };
  /** Sent by either side. */
  DataTransfer: { request: DataTransferRequest; response: DataTransferResponse; sentBy: 'Both' };
  /** Sent by the Central System. */
  DeleteCertificate: { request: DeleteCertificateRequest; response: DeleteCertificateResponse; sentBy: 'CentralSystem' };
  /** Sent by the Charge Point. */
  DiagnosticsStatusNotification: { request: DiagnosticsStatusNotificationRequest; response: DiagnosticsStatusNotificationResponse; sentBy: 'ChargePoint' };
  /** Sent by the Central System. */
  ExtendedTriggerMessage: { request: ExtendedTriggerMessageRequest; response: ExtendedTriggerMessageResponse; sentBy: 'CentralSystem' };
  /** Sent by the Charge Point. */
  FirmwareStatusNotification: { request: FirmwareStatusNotificationRequest; response: FirmwareStatusNotificationResponse; sentBy: 'ChargePoint' };
  /** Sent by the Central System. */
  GetCompositeSchedule: { request: GetCompositeScheduleRequest; response: GetCompositeScheduleResponse; sentBy: 'CentralSystem' };
  /** Sent by the Central System. */
  GetConfiguration: { request: GetConfigurationRequest; response: GetConfigurationResponse; sentBy: 'CentralSystem' };
  /** Sent by the Central System. */
  GetDiagnostics: { request: GetDiagnosticsRequest; response: GetDiagnosticsResponse; sentBy: 'CentralSystem' };
  /** Sent by the Central System. */
  GetInstalledCertificateIds: { request: GetInstalledCertificateIdsRequest; response: GetInstalledCertificateIdsResponse; sentBy: 'CentralSystem' };
  /** Sent by the Central System. */
  GetLocalListVersion: { request: GetLocalListVersionRequest; response: GetLocalListVersionResponse; sentBy: 'CentralSystem' };
  /** Sent by the Central System. */
  GetLog: { request: GetLogRequest; response: GetLogResponse; sentBy: 'CentralSystem' };
  /** Sent by the Charge Point. */
  Heartbeat: { request: HeartbeatRequest; response: HeartbeatResponse; sentBy: 'ChargePoint' };
  /** Sent by the Central System. */
  InstallCertificate: { request: InstallCertificateRequest; response: InstallCertificateResponse; sentBy: 'CentralSystem' };
  /** Sent by the Charge Point. */
  LogStatusNotification: { request: LogStatusNotificationRequest; response: LogStatusNotificationResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charge Point. */
  MeterValues: { request: MeterValuesRequest; response: MeterValuesResponse; sentBy: 'ChargePoint' };
  /** Sent by the Central System. */
  RemoteStartTransaction: { request: RemoteStartTransactionRequest; response: RemoteStartTransactionResponse; sentBy: 'CentralSystem' };
  /** Sent by the Central System. */
  RemoteStopTransaction: { request: RemoteStopTransactionRequest; response: RemoteStopTransactionResponse; sentBy: 'CentralSystem' };
  /** Sent by the Central System. */
  ReserveNow: { request: ReserveNowRequest; response: ReserveNowResponse; sentBy: 'CentralSystem' };
  /** Sent by the Central System. */
  Reset: { request: ResetRequest; response: ResetResponse; sentBy: 'CentralSystem' };
  /** Sent by the Charge Point. */
  SecurityEventNotification: { request: SecurityEventNotificationRequest; response: SecurityEventNotificationResponse; sentBy: 'ChargePoint' };
  /** Sent by the Central System. */
  SendLocalList: { request: SendLocalListRequest; response: SendLocalListResponse; sentBy: 'CentralSystem' };
  /** Sent by the Central System. */
  SetChargingProfile: { request: SetChargingProfileRequest; response: SetChargingProfileResponse; sentBy: 'CentralSystem' };
  /** Sent by the Charge Point. */
  SignCertificate: { request: SignCertificateRequest; response: SignCertificateResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charge Point. */
  SignedFirmwareStatusNotification: { request: SignedFirmwareStatusNotificationRequest; response: SignedFirmwareStatusNotificationResponse; sentBy: 'ChargePoint' };
  /** Sent by the Central System. */
  SignedUpdateFirmware: { request: SignedUpdateFirmwareRequest; response: SignedUpdateFirmwareResponse; sentBy: 'CentralSystem' };
  /** Sent by the Charge Point. */
  StartTransaction: { request: StartTransactionRequest; response: StartTransactionResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charge Point. */
  StatusNotification: { request: StatusNotificationRequest; response: StatusNotificationResponse; sentBy: 'ChargePoint' };
  /** Sent by the Charge Point. */
  StopTransaction: { request: StopTransactionRequest; response: StopTransactionResponse; sentBy: 'ChargePoint' };
  /** Sent by the Central System. */
  TriggerMessage: { request: TriggerMessageRequest; response: TriggerMessageResponse; sentBy: 'CentralSystem' };
  /** Sent by the Central System. */
  UnlockConnector: { request: UnlockConnectorRequest; response: UnlockConnectorResponse; sentBy: 'CentralSystem' };
  /** Sent by the Central System. */
  UpdateFirmware: { request: UpdateFirmwareRequest; response: UpdateFirmwareResponse; sentBy: 'CentralSystem' };
}

/**
 * Who sends each ocpp1.6 action's request, at run time. The `satisfies` clause makes the
 * compiler check that this table and {@link OCPP16ActionMap} list the same actions.
 */
export const OCPP16_ACTIONS = {
  Authorize: 'ChargePoint',
  BootNotification: 'ChargePoint',
  CancelReservation: 'CentralSystem',
  CertificateSigned: 'CentralSystem',
  ChangeAvailability: 'CentralSystem',
  ChangeConfiguration: 'CentralSystem',
  ClearCache: 'CentralSystem',
  ClearChargingProfile: 'CentralSystem',
  DataTransfer: 'Both',
  DeleteCertificate: 'CentralSystem',
  DiagnosticsStatusNotification: 'ChargePoint',
  ExtendedTriggerMessage: 'CentralSystem',
  FirmwareStatusNotification: 'ChargePoint',
  GetCompositeSchedule: 'CentralSystem',
  GetConfiguration: 'CentralSystem',
  GetDiagnostics: 'CentralSystem',
  GetInstalledCertificateIds: 'CentralSystem',
  GetLocalListVersion: 'CentralSystem',
  GetLog: 'CentralSystem',
  Heartbeat: 'ChargePoint',
  InstallCertificate: 'CentralSystem',
  LogStatusNotification: 'ChargePoint',
  MeterValues: 'ChargePoint',
  RemoteStartTransaction: 'CentralSystem',
  RemoteStopTransaction: 'CentralSystem',
  ReserveNow: 'CentralSystem',
  Reset: 'CentralSystem',
  SecurityEventNotification: 'ChargePoint',
  SendLocalList: 'CentralSystem',
  SetChargingProfile: 'CentralSystem',
  SignCertificate: 'ChargePoint',
  SignedFirmwareStatusNotification: 'ChargePoint',
  SignedUpdateFirmware: 'CentralSystem',
  StartTransaction: 'ChargePoint',
  StatusNotification: 'ChargePoint',
  StopTransaction: 'ChargePoint',
  TriggerMessage: 'CentralSystem',
  UnlockConnector: 'CentralSystem',
  UpdateFirmware: 'CentralSystem',
} as const satisfies Record<keyof OCPP16ActionMap, 'ChargePoint' | 'CentralSystem' | 'Both'>;
