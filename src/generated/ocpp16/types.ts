// GENERATED, DO NOT EDIT. Source: schemas/ocpp1.6/ (OCA JSON schemas, patched in memory by scripts/codegen/patches.ts). Generator: scripts/generate.ts (npm run generate).

export type AuthorizationStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx';
export type RegistrationStatus = 'Accepted' | 'Pending' | 'Rejected';
export type CancelReservationStatus = 'Accepted' | 'Rejected';
export type CertificateSignedStatusEnumType = 'Accepted' | 'Rejected';
export type AvailabilityType = 'Inoperative' | 'Operative';
export type AvailabilityStatus = 'Accepted' | 'Rejected' | 'Scheduled';
export type ConfigurationStatus = 'Accepted' | 'Rejected' | 'RebootRequired' | 'NotSupported';
export type ClearCacheStatus = 'Accepted' | 'Rejected';
export type ChargingProfilePurposeType = 'ChargePointMaxProfile' | 'TxDefaultProfile' | 'TxProfile';
export type ClearChargingProfileStatus = 'Accepted' | 'Unknown';
export type DataTransferStatus = 'Accepted' | 'Rejected' | 'UnknownMessageId' | 'UnknownVendorId';
export type HashAlgorithmEnumType = 'SHA256' | 'SHA384' | 'SHA512';
export type DeleteCertificateStatusEnumType = 'Accepted' | 'Failed' | 'NotFound';
export type DiagnosticsStatus = 'Idle' | 'Uploaded' | 'UploadFailed' | 'Uploading';
export type MessageTriggerEnumType =
  | 'BootNotification'
  | 'LogStatusNotification'
  | 'FirmwareStatusNotification'
  | 'Heartbeat'
  | 'MeterValues'
  | 'SignChargePointCertificate'
  | 'StatusNotification';
export type TriggerMessageStatusEnumType = 'Accepted' | 'Rejected' | 'NotImplemented';
export type FirmwareStatus =
  'Downloaded' | 'DownloadFailed' | 'Downloading' | 'Idle' | 'InstallationFailed' | 'Installing' | 'Installed';
export type ChargingRateUnitType = 'A' | 'W';
export type GetCompositeScheduleStatus = 'Accepted' | 'Rejected';
export type CertificateUseEnumType = 'CentralSystemRootCertificate' | 'ManufacturerRootCertificate';
export type GetInstalledCertificateStatusEnumType = 'Accepted' | 'NotFound';
export type LogEnumType = 'DiagnosticsLog' | 'SecurityLog';
export type LogStatusEnumType = 'Accepted' | 'Rejected' | 'AcceptedCanceled';
export type InstallCertificateStatusEnumType = 'Accepted' | 'Failed' | 'Rejected';
export type UploadLogStatusEnumType =
  'BadMessage' | 'Idle' | 'NotSupportedOperation' | 'PermissionDenied' | 'Uploaded' | 'UploadFailure' | 'Uploading';
export type ReadingContext =
  | 'Interruption.Begin'
  | 'Interruption.End'
  | 'Sample.Clock'
  | 'Sample.Periodic'
  | 'Transaction.Begin'
  | 'Transaction.End'
  | 'Trigger'
  | 'Other';
export type ValueFormat = 'Raw' | 'SignedData';
export type Measurand =
  | 'Energy.Active.Export.Register'
  | 'Energy.Active.Import.Register'
  | 'Energy.Reactive.Export.Register'
  | 'Energy.Reactive.Import.Register'
  | 'Energy.Active.Export.Interval'
  | 'Energy.Active.Import.Interval'
  | 'Energy.Reactive.Export.Interval'
  | 'Energy.Reactive.Import.Interval'
  | 'Power.Active.Export'
  | 'Power.Active.Import'
  | 'Power.Offered'
  | 'Power.Reactive.Export'
  | 'Power.Reactive.Import'
  | 'Power.Factor'
  | 'Current.Import'
  | 'Current.Export'
  | 'Current.Offered'
  | 'Voltage'
  | 'Frequency'
  | 'Temperature'
  | 'SoC'
  | 'RPM';
export type Phase = 'L1' | 'L2' | 'L3' | 'N' | 'L1-N' | 'L2-N' | 'L3-N' | 'L1-L2' | 'L2-L3' | 'L3-L1';
export type Location = 'Cable' | 'EV' | 'Inlet' | 'Outlet' | 'Body';
export type UnitOfMeasure =
  | 'Wh'
  | 'kWh'
  | 'varh'
  | 'kvarh'
  | 'W'
  | 'kW'
  | 'VA'
  | 'kVA'
  | 'var'
  | 'kvar'
  | 'A'
  | 'V'
  | 'K'
  | 'Celcius'
  | 'Celsius'
  | 'Fahrenheit'
  | 'Percent';
export type ChargingProfileKindType = 'Absolute' | 'Recurring' | 'Relative';
export type RecurrencyKindType = 'Daily' | 'Weekly';
export type RemoteStartStopStatus = 'Accepted' | 'Rejected';
export type ReservationStatus = 'Accepted' | 'Faulted' | 'Occupied' | 'Rejected' | 'Unavailable';
export type ResetType = 'Hard' | 'Soft';
export type ResetStatus = 'Accepted' | 'Rejected';
export type UpdateType = 'Differential' | 'Full';
export type UpdateStatus = 'Accepted' | 'Failed' | 'NotSupported' | 'VersionMismatch';
export type ChargingProfileStatus = 'Accepted' | 'Rejected' | 'NotSupported';
export type GenericStatusEnumType = 'Accepted' | 'Rejected';
export type FirmwareStatusEnumType =
  | 'Downloaded'
  | 'DownloadFailed'
  | 'Downloading'
  | 'DownloadScheduled'
  | 'DownloadPaused'
  | 'Idle'
  | 'InstallationFailed'
  | 'Installing'
  | 'Installed'
  | 'InstallRebooting'
  | 'InstallScheduled'
  | 'InstallVerificationFailed'
  | 'InvalidSignature'
  | 'SignatureVerified';
export type UpdateFirmwareStatusEnumType =
  'Accepted' | 'Rejected' | 'AcceptedCanceled' | 'InvalidCertificate' | 'RevokedCertificate';
export type ChargePointErrorCode =
  | 'ConnectorLockFailure'
  | 'EVCommunicationError'
  | 'GroundFailure'
  | 'HighTemperature'
  | 'InternalError'
  | 'LocalListConflict'
  | 'NoError'
  | 'OtherError'
  | 'OverCurrentFailure'
  | 'PowerMeterFailure'
  | 'PowerSwitchFailure'
  | 'ReaderFailure'
  | 'ResetFailure'
  | 'UnderVoltage'
  | 'OverVoltage'
  | 'WeakSignal';
export type ChargePointStatus =
  | 'Available'
  | 'Preparing'
  | 'Charging'
  | 'SuspendedEVSE'
  | 'SuspendedEV'
  | 'Finishing'
  | 'Reserved'
  | 'Unavailable'
  | 'Faulted';
export type Reason =
  | 'EmergencyStop'
  | 'EVDisconnected'
  | 'HardReset'
  | 'Local'
  | 'Other'
  | 'PowerLoss'
  | 'Reboot'
  | 'Remote'
  | 'SoftReset'
  | 'UnlockCommand'
  | 'DeAuthorized';
export type MessageTrigger =
  | 'BootNotification'
  | 'DiagnosticsStatusNotification'
  | 'FirmwareStatusNotification'
  | 'Heartbeat'
  | 'MeterValues'
  | 'StatusNotification';
export type TriggerMessageStatus = 'Accepted' | 'Rejected' | 'NotImplemented';
export type UnlockStatus = 'Unlocked' | 'UnlockFailed' | 'NotSupported';

export interface AuthorizeRequest {
  /**
   * @maxLength 20
   */
  idTag: string;
}
export interface AuthorizeResponse {
  idTagInfo: IdTagInfo;
}
export interface IdTagInfo {
  /**
   * @format date-time
   */
  expiryDate?: string;
  /**
   * @maxLength 20
   */
  parentIdTag?: string;
  status: AuthorizationStatus;
}
export interface BootNotificationRequest {
  /**
   * @maxLength 20
   */
  chargePointVendor: string;
  /**
   * @maxLength 20
   */
  chargePointModel: string;
  /**
   * @maxLength 25
   */
  chargePointSerialNumber?: string;
  /**
   * @maxLength 25
   */
  chargeBoxSerialNumber?: string;
  /**
   * @maxLength 50
   */
  firmwareVersion?: string;
  /**
   * @maxLength 20
   */
  iccid?: string;
  /**
   * @maxLength 20
   */
  imsi?: string;
  /**
   * @maxLength 25
   */
  meterType?: string;
  /**
   * @maxLength 25
   */
  meterSerialNumber?: string;
}
export interface BootNotificationResponse {
  status: RegistrationStatus;
  /**
   * @format date-time
   */
  currentTime: string;
  interval: number;
}
export interface CancelReservationRequest {
  reservationId: number;
}
export interface CancelReservationResponse {
  status: CancelReservationStatus;
}
export interface CertificateSignedRequest {
  /**
   * @maxLength 10000
   */
  certificateChain: string;
}
export interface CertificateSignedResponse {
  status: CertificateSignedStatusEnumType;
}
export interface ChangeAvailabilityRequest {
  connectorId: number;
  type: AvailabilityType;
}
export interface ChangeAvailabilityResponse {
  status: AvailabilityStatus;
}
export interface ChangeConfigurationRequest {
  /**
   * @maxLength 50
   */
  key: string;
  /**
   * @maxLength 500
   */
  value: string;
}
export interface ChangeConfigurationResponse {
  status: ConfigurationStatus;
}
export interface ClearCacheRequest {}
export interface ClearCacheResponse {
  status: ClearCacheStatus;
}
export interface ClearChargingProfileRequest {
  id?: number;
  connectorId?: number;
  chargingProfilePurpose?: ChargingProfilePurposeType;
  stackLevel?: number;
}
export interface ClearChargingProfileResponse {
  status: ClearChargingProfileStatus;
}
export interface DataTransferRequest {
  /**
   * @maxLength 255
   */
  vendorId: string;
  /**
   * @maxLength 50
   */
  messageId?: string;
  data?: string;
}
export interface DataTransferResponse {
  status: DataTransferStatus;
  data?: string;
}
export interface DeleteCertificateRequest {
  certificateHashData: CertificateHashDataType;
}
export interface CertificateHashDataType {
  hashAlgorithm: HashAlgorithmEnumType;
  /**
   * @maxLength 128
   */
  issuerNameHash: string;
  /**
   * @maxLength 128
   */
  issuerKeyHash: string;
  /**
   * @maxLength 40
   */
  serialNumber: string;
}
export interface DeleteCertificateResponse {
  status: DeleteCertificateStatusEnumType;
}
export interface DiagnosticsStatusNotificationRequest {
  status: DiagnosticsStatus;
}
export interface DiagnosticsStatusNotificationResponse {}
export interface ExtendedTriggerMessageRequest {
  requestedMessage: MessageTriggerEnumType;
  connectorId?: number;
}
export interface ExtendedTriggerMessageResponse {
  status: TriggerMessageStatusEnumType;
}
export interface FirmwareStatusNotificationRequest {
  status: FirmwareStatus;
}
export interface FirmwareStatusNotificationResponse {}
export interface GetCompositeScheduleRequest {
  connectorId: number;
  duration: number;
  chargingRateUnit?: ChargingRateUnitType;
}
export interface GetCompositeScheduleResponse {
  status: GetCompositeScheduleStatus;
  connectorId?: number;
  /**
   * @format date-time
   */
  scheduleStart?: string;
  chargingSchedule?: ChargingSchedule;
}
export interface ChargingSchedule {
  duration?: number;
  /**
   * @format date-time
   */
  startSchedule?: string;
  chargingRateUnit: ChargingRateUnitType;
  chargingSchedulePeriod: ChargingSchedulePeriod[];
  /**
   * @multipleOf 0.1
   */
  minChargingRate?: number;
}
export interface ChargingSchedulePeriod {
  startPeriod: number;
  /**
   * @multipleOf 0.1
   */
  limit: number;
  numberPhases?: number;
}
export interface GetConfigurationRequest {
  key?: string[];
}
export interface GetConfigurationResponse {
  configurationKey?: KeyValue[];
  unknownKey?: string[];
}
export interface KeyValue {
  /**
   * @maxLength 50
   */
  key: string;
  readonly: boolean;
  /**
   * @maxLength 500
   */
  value?: string;
}
export interface GetDiagnosticsRequest {
  /**
   * @format uri
   */
  location: string;
  retries?: number;
  retryInterval?: number;
  /**
   * @format date-time
   */
  startTime?: string;
  /**
   * @format date-time
   */
  stopTime?: string;
}
export interface GetDiagnosticsResponse {
  /**
   * @maxLength 255
   */
  fileName?: string;
}
export interface GetInstalledCertificateIdsRequest {
  certificateType: CertificateUseEnumType;
}
export interface GetInstalledCertificateIdsResponse {
  /**
   * @minItems 1
   */
  certificateHashData?: CertificateHashDataType[];
  status: GetInstalledCertificateStatusEnumType;
}
export interface GetLocalListVersionRequest {}
export interface GetLocalListVersionResponse {
  listVersion: number;
}
export interface GetLogRequest {
  log: LogParametersType;
  logType: LogEnumType;
  requestId: number;
  retries?: number;
  retryInterval?: number;
}
export interface LogParametersType {
  /**
   * @maxLength 512
   */
  remoteLocation: string;
  /**
   * @format date-time
   */
  oldestTimestamp?: string;
  /**
   * @format date-time
   */
  latestTimestamp?: string;
}
export interface GetLogResponse {
  status: LogStatusEnumType;
  /**
   * @maxLength 255
   */
  filename?: string;
}
export interface HeartbeatRequest {}
export interface HeartbeatResponse {
  /**
   * @format date-time
   */
  currentTime: string;
}
export interface InstallCertificateRequest {
  certificateType: CertificateUseEnumType;
  /**
   * @maxLength 5500
   */
  certificate: string;
}
export interface InstallCertificateResponse {
  status: InstallCertificateStatusEnumType;
}
export interface LogStatusNotificationRequest {
  status: UploadLogStatusEnumType;
  requestId?: number;
}
export interface LogStatusNotificationResponse {}
export interface MeterValuesRequest {
  connectorId: number;
  transactionId?: number;
  meterValue: MeterValue[];
}
export interface MeterValue {
  /**
   * @format date-time
   */
  timestamp: string;
  sampledValue: SampledValue[];
}
export interface SampledValue {
  value: string;
  context?: ReadingContext;
  format?: ValueFormat;
  measurand?: Measurand;
  phase?: Phase;
  location?: Location;
  unit?: UnitOfMeasure;
}
export interface MeterValuesResponse {}
export interface RemoteStartTransactionRequest {
  connectorId?: number;
  /**
   * @maxLength 20
   */
  idTag: string;
  chargingProfile?: ChargingProfile;
}
export interface ChargingProfile {
  chargingProfileId: number;
  transactionId?: number;
  stackLevel: number;
  chargingProfilePurpose: ChargingProfilePurposeType;
  chargingProfileKind: ChargingProfileKindType;
  recurrencyKind?: RecurrencyKindType;
  /**
   * @format date-time
   */
  validFrom?: string;
  /**
   * @format date-time
   */
  validTo?: string;
  chargingSchedule: ChargingSchedule;
}
export interface RemoteStartTransactionResponse {
  status: RemoteStartStopStatus;
}
export interface RemoteStopTransactionRequest {
  transactionId: number;
}
export interface RemoteStopTransactionResponse {
  status: RemoteStartStopStatus;
}
export interface ReserveNowRequest {
  connectorId: number;
  /**
   * @format date-time
   */
  expiryDate: string;
  /**
   * @maxLength 20
   */
  idTag: string;
  /**
   * @maxLength 20
   */
  parentIdTag?: string;
  reservationId: number;
}
export interface ReserveNowResponse {
  status: ReservationStatus;
}
export interface ResetRequest {
  type: ResetType;
}
export interface ResetResponse {
  status: ResetStatus;
}
export interface SecurityEventNotificationRequest {
  /**
   * @maxLength 50
   */
  type: string;
  /**
   * @format date-time
   */
  timestamp: string;
  /**
   * @maxLength 255
   */
  techInfo?: string;
}
export interface SecurityEventNotificationResponse {}
export interface SendLocalListRequest {
  listVersion: number;
  localAuthorizationList?: AuthorizationData[];
  updateType: UpdateType;
}
export interface AuthorizationData {
  /**
   * @maxLength 20
   */
  idTag: string;
  idTagInfo?: IdTagInfo;
}
export interface SendLocalListResponse {
  status: UpdateStatus;
}
export interface SetChargingProfileRequest {
  connectorId: number;
  csChargingProfiles: ChargingProfile;
}
export interface SetChargingProfileResponse {
  status: ChargingProfileStatus;
}
export interface SignCertificateRequest {
  /**
   * @maxLength 5500
   */
  csr: string;
}
export interface SignCertificateResponse {
  status: GenericStatusEnumType;
}
export interface SignedFirmwareStatusNotificationRequest {
  status: FirmwareStatusEnumType;
  requestId?: number;
}
export interface SignedFirmwareStatusNotificationResponse {}
export interface SignedUpdateFirmwareRequest {
  retries?: number;
  retryInterval?: number;
  requestId: number;
  firmware: FirmwareType;
}
export interface FirmwareType {
  /**
   * @maxLength 512
   */
  location: string;
  /**
   * @format date-time
   */
  retrieveDateTime: string;
  /**
   * @format date-time
   */
  installDateTime?: string;
  /**
   * @maxLength 5500
   */
  signingCertificate: string;
  /**
   * @maxLength 800
   */
  signature: string;
}
export interface SignedUpdateFirmwareResponse {
  status: UpdateFirmwareStatusEnumType;
}
export interface StartTransactionRequest {
  connectorId: number;
  /**
   * @maxLength 20
   */
  idTag: string;
  meterStart: number;
  reservationId?: number;
  /**
   * @format date-time
   */
  timestamp: string;
}
export interface StartTransactionResponse {
  idTagInfo: IdTagInfo;
  transactionId: number;
}
export interface StatusNotificationRequest {
  connectorId: number;
  errorCode: ChargePointErrorCode;
  /**
   * @maxLength 50
   */
  info?: string;
  status: ChargePointStatus;
  /**
   * @format date-time
   */
  timestamp?: string;
  /**
   * @maxLength 255
   */
  vendorId?: string;
  /**
   * @maxLength 50
   */
  vendorErrorCode?: string;
}
export interface StatusNotificationResponse {}
export interface StopTransactionRequest {
  /**
   * @maxLength 20
   */
  idTag?: string;
  meterStop: number;
  /**
   * @format date-time
   */
  timestamp: string;
  transactionId: number;
  reason?: Reason;
  transactionData?: MeterValue[];
}
export interface StopTransactionResponse {
  idTagInfo?: IdTagInfo;
}
export interface TriggerMessageRequest {
  requestedMessage: MessageTrigger;
  connectorId?: number;
}
export interface TriggerMessageResponse {
  status: TriggerMessageStatus;
}
export interface UnlockConnectorRequest {
  connectorId: number;
}
export interface UnlockConnectorResponse {
  status: UnlockStatus;
}
export interface UpdateFirmwareRequest {
  /**
   * @format uri
   */
  location: string;
  retries?: number;
  /**
   * @format date-time
   */
  retrieveDate: string;
  retryInterval?: number;
}
export interface UpdateFirmwareResponse {}
