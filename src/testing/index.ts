/**
 * `ocpp-sdk/testing`: a test kit for charger firmware and CSMS teams, framework-agnostic
 * (node:test, vitest, jest: no test framework is a dependency).
 *
 * - {@link TestCentralSystem} plays the CSMS for a charger under test: a {@link StationHandle}
 *   per station to stub answers, expect CALLs (early arrivals count, strict next, all in any
 *   order, one of, none for a while), call the station, send raw frames, disconnect, refuse.
 * - {@link TestChargePoint} plays a charger for a CSMS under test (raw frames, disconnects and
 *   reconnects included), and fails its `close()` when an expectation never happened.
 * - Every frame lands in a {@link Transcript}; every failure is an {@link ExpectationError}
 *   (an `AssertionError`) naming what was awaited, what came instead and the transcript's tail.
 * - Matchers are deep-partial objects, predicates, or any `asymmetricMatch` object
 *   (`expect.any(String)` of vitest or jest).
 * - Deadlines run on the real clock captured at import, so fake timers in the test do not freeze them.
 * - {@link defineScenario} and {@link runScenario} run OCTT-shaped scenarios (preconditions as
 *   chained reusable states such as {@link Booted}, steps, post checks) with PASS, FAIL, BLOCKED
 *   or SKIPPED verdicts and {@link toJUnitXml}; {@link STATION_SCENARIOS} are ready ones, named
 *   by their OCTT ids; a {@link StationDriver} carries out the manual actions.
 * - {@link CSMS_SCENARIOS} are the mirror for CSMS teams (OCTT's `_CSMS` cases): the kit plays the
 *   charger against the CSMS under test with {@link runCsmsScenario}, from chained states such as
 *   {@link BootAccepted}; a {@link CsmsDriver} makes the CSMS send its commands.
 *
 * @module ocpp-sdk/testing
 */
export { ExpectationError } from './errors';
export { codes } from './codes';
export { matches, mismatch } from './matchers';
export { DEFAULT_EXPECT_TIMEOUT_MS, DEFAULT_TIMING_TOLERANCE_MS } from './received';
export { callError, CallErrorReply, DEFAULT_BOOT_INTERVAL_S } from './replies';
export { StationHandle } from './station-handle';
export { TestCentralSystem } from './test-central-system';
export { TestChargePoint } from './test-charge-point';
export { Transcript } from './transcript';
export { DEFAULT_STATION_PROFILE, defineScenario, manualStep, step, StepBlockedError } from './scenario';
export { DEFAULT_SCENARIO_TIMEOUT_MS, runScenario, runScenarios } from './scenario-runner';
export { answerOf, Authorized, Booted, EnergyTransferStarted, EVConnectedPreSession, markNow, STATES } from './states';
export { toJUnitXml } from './junit';
export { STATION_SCENARIOS } from './scenarios/index';
export { csmsStep, DEFAULT_CSMS_PROFILE, defineCsmsScenario } from './csms-scenarios/scenario';
export { runCsmsScenario, runCsmsScenarios } from './csms-scenarios/runner';
export { AuthorizeAccepted, BootAccepted, Connected, CSMS_STATES, TransactionStarted } from './csms-scenarios/states';
export { CSMS_SCENARIOS } from './csms-scenarios/index';

export type { ExpectationErrorInit } from './errors';
export type { VersionCodes } from './codes';
export type { AsymmetricMatcher, Matcher, Mismatch, Predicate } from './matchers';
export type { ActionTable, Expectation, PeerHandle, StubOptions } from './peer-handle';
export type {
  ExpectAllOptions,
  ExpectCallErrorOptions,
  ExpectNextOptions,
  ExpectNoCallOptions,
  ExpectOneOfOptions,
  ExpectOptions,
  Received,
  ReceivedCallError,
} from './received';
export type { Reply } from './replies';
export type { StationHandshake } from './station-handle';
export type { DisconnectOptions, TestCallOptions } from './peer-handle';
export type { TestCentralSystemOptions } from './test-central-system';
export type { TestChargePointOptions } from './test-charge-point';
export type { TranscriptEntry, TranscriptFormatOptions } from './transcript';
export type {
  ManualAction,
  ResolvedStationProfile,
  Scenario,
  ScenarioContext,
  ScenarioDefinition,
  ScenarioStep,
  State,
  StationDriver,
  StationProfile,
  StationSession,
  Verdict,
} from './scenario';
export type { RunScenarioOptions, ScenarioResult, StepPhase, StepResult } from './scenario-runner';
export type { JUnitOptions } from './junit';
export type {
  CsmsAction,
  CsmsActionArgs,
  CsmsDriver,
  CsmsProfile,
  CsmsScenario,
  CsmsScenarioContext,
  CsmsScenarioDefinition,
  CsmsScenarioState,
  CsmsScenarioStep,
  CsmsSession,
  CsmsVariable,
  ResolvedCsmsProfile,
} from './csms-scenarios/scenario';
export type { CsmsConnectOptions, RunCsmsScenarioOptions } from './csms-scenarios/runner';
