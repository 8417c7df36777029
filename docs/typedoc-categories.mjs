// @ts-check
/**
 * A typedoc plugin of this repository (typedoc.json `plugin`): sorts the package's top-level
 * exports into categories by name, so the API reference's index reads by topic (server, client,
 * messages, errors, ...) instead of one list of some 160 names by kind.
 *
 * An export's own `@category` tag wins; the rules below are for the exports that have none.
 * The first rule whose pattern matches the name decides; a name no rule matches goes to
 * typedoc's default category ("Other"), which is the hint to add a rule or a tag. The project
 * documents (README, RELIABILITY, benchmark results, changelog: typedoc.json
 * `projectDocuments`) are the "Guides", unless their front matter names a category.
 *
 * The reference has two entry points (typedoc.json): the package (`src/index.ts`), whose exports
 * are merged into the top level so that links such as {@link CentralSystem} in the guides keep
 * working, and the `ocpp-sdk/redis` subpath (`src/redis/index.ts`, named by its `@module` tag),
 * which stays a module of its own, listed under the cluster topic, with its exports sorted by
 * {@link REDIS_CATEGORY_RULES}. The `ocpp-sdk/testing` subpath (`src/testing/index.ts`) is a
 * module of its own the same way, under its own topic, sorted by {@link TESTING_CATEGORY_RULES}.
 */
import { Comment, CommentTag, Converter, ReflectionKind } from 'typedoc';

/** The category of the project documents. */
export const GUIDES = 'Guides';

/** @type {Array<[category: string, pattern: RegExp]>} */
export const CATEGORY_RULES = [
  ['Framing core', /^Framing/],
  ['Cluster (several nodes)', /^Cluster|^(Any)?RemoteStation$|^Remote(Call|Failure|Outcome)|^StationRef$|^ClaimResult$|^PresenceChange$|^Delivery$|^Fleet$|^Memory(Cluster|AdapterOptions)$|^StationNotConnected/],
  ['OCPP messages and actions', /^(OCPP16|OCPP201|OCPP21)(_ACTIONS|ActionMap)?$|^OCPP_PROTOCOLS$|^DEFAULT_PROTOCOLS$|^OcppVersion$|^DefaultOcppVersion$|^Action|^actionSender$|^canSend$|^isKnownAction$|^(Incoming|Outgoing|Send)Actions$|^(Ocpp|Peer)Role$|^Shapes$/],
  ['Errors', /Error$|ErrorInit$|^RpcError|^RPC_ERROR_|^createRpcError$|^isRpcErrorCode$|^INTERNAL_ERROR_DESCRIPTION$/],
  ['Validation', /^(validatePayload|createPayloadValidator)$|^Payload|^Validation|^DirectionModes$/],
  ['Central system (server)', /^CentralSystem|^(Any)?Station|^LocalStationRegistry$|^(Listen|Close|BootGating|Compression)Options$|^ListenFailure$|^Auth(Request|Result)$|^Refus|^DisconnectEvent$|^SecurityProfile$|^safeEqual$|^parseBasicAuth$|^DEFAULT_(COMPRESSION|LISTEN_BACKLOG)$/],
  ['Charge point (client)', /^(Any)?ChargePoint|^BootOptions$|^Callable|^Call(Request|Response)$|^ClientCompressionOptions$|^Common(ChargePointAction|Request|Response)$|^Boot(Request|Response|Status)$|^Offline|^(Memory|File)?QueueStore(Options)?$|^DEFAULT_COMPACT_AFTER_RECORDS$|^QueuedMessage$|^TransactionRetryOptions$|^ClientTlsOptions$|^ClientWebSocket$|^WebSocketFactory(Options)?$|^Backoff|^DEFAULT_BACKOFF$|^backoffDelay$|^basicAuthHeader$|^BasicCredentials$/],
  ['Events and logging', /Event$|^SendDropReason$|^Logger$|^LogLevel$|^Direction$/],
  ['Framing core', /Frame|^Framing|^parseFrame$|^serializeFrame$|^Parse|^MessageType|^RpcEndpoint|^ResolvedRpcEndpointOptions$|^Transport|^createMemoryTransportPair$|^Handler|^CallOptions$|^JsonObject$|^ProtocolRules$|_RULES$|^rulesFor$|^isValidMessageId$|^MAX_|^DEFAULT_/],
];

/** The name of the subpath module, from the `@module` tag of src/redis/index.ts. */
export const REDIS_MODULE = 'ocpp-sdk/redis';

/** The topics inside the `ocpp-sdk/redis` module. @type {Array<[category: string, pattern: RegExp]>} */
export const REDIS_CATEGORY_RULES = [
  ['Cluster adapter', /^(redisCluster|RedisCluster|RedisClusterOptions|RedisEventsOptions|RedisClientLike|DEFAULT_REDIS_CLUSTER_OPTIONS)$/],
  ['Events stream', /^(readClusterEvents|ReadClusterEventsOptions|ClusterEventDelivery)$/],
  ['Errors', /Error$/],
];

/** The name of the test kit's module, from the `@module` tag of src/testing/index.ts. */
export const TESTING_MODULE = 'ocpp-sdk/testing';

/** The topics inside the `ocpp-sdk/testing` module. @type {Array<[category: string, pattern: RegExp]>} */
export const TESTING_CATEGORY_RULES = [
  // Before Scenarios (whose Scenario\w* would take CsmsScenario*) and Expectations (DEFAULT_\w+).
  [
    'CSMS scenarios',
    /^(CSMS_SCENARIOS|CSMS_STATES|defineCsmsScenario|csmsStep|runCsmsScenarios?|DEFAULT_CSMS_PROFILE|Connected|BootAccepted|AuthorizeAccepted|TransactionStarted|Csms\w*|ResolvedCsmsProfile|RunCsmsScenarioOptions)$/,
  ],
  // Then: DEFAULT_STATION_PROFILE and DEFAULT_SCENARIO_TIMEOUT_MS belong here, not under Expectations.
  [
    'Scenarios',
    /^(defineScenario|step|manualStep|runScenarios?|toJUnitXml|JUnitOptions|STATION_SCENARIOS|STATES|Booted|EVConnectedPreSession|Authorized|EnergyTransferStarted|markNow|answerOf|DEFAULT_STATION_PROFILE|DEFAULT_SCENARIO_TIMEOUT_MS|ManualAction|(Resolved)?StationProfile|Scenario\w*|State|StationDriver|StationSession|StepBlockedError|Verdict|RunScenarioOptions|StepPhase|StepResult)$/,
  ],
  ['Test central system', /^(TestCentralSystem|TestCentralSystemOptions|StationHandle|StationHandshake|DisconnectOptions|TestCallOptions)$/],
  ['Test charge point', /^(TestChargePoint|TestChargePointOptions)$/],
  [
    'Expectations',
    /^(PeerHandle|ActionTable|Expectation|Expect\w*Options|Received|ReceivedCallError|StubOptions|Reply|callError|CallErrorReply|DEFAULT_\w+|codes|VersionCodes)$/,
  ],
  ['Matchers', /^(Matcher|AsymmetricMatcher|Predicate|Mismatch|matches|mismatch)$/],
  ['Transcripts and failures', /^(Transcript\w*|ExpectationError\w*)$/],
];

/** The category the rules give `name`, or undefined. */
export function categoryOf(name, rules = CATEGORY_RULES) {
  if (rules === CATEGORY_RULES && name === REDIS_MODULE) return 'Cluster (several nodes)';
  if (rules === CATEGORY_RULES && name === TESTING_MODULE) return 'Testing';
  for (const [category, pattern] of rules) if (pattern.test(name)) return category;
  return undefined;
}

/** Gives each of `reflections` without a `@category` tag the category `rules` give its name. */
function categorise(reflections, rules) {
  for (const reflection of reflections) {
    const tagged = [reflection.comment, ...(reflection.signatures ?? []).map((s) => s.comment)].some((c) => c?.blockTags.some((t) => t.tag === '@category'));
    if (tagged) continue;
    const category = categoryOf(reflection.name, rules);
    if (category === undefined) continue;
    reflection.comment ??= new Comment();
    reflection.comment.blockTags.push(new CommentTag('@category', [{ kind: 'text', text: category }]));
  }
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  // Before typedoc's own MergeModuleWithPlugin (priority 10000): the package's module merges into
  // the project, as if it were the only entry point.
  app.converter.on(
    Converter.EVENT_RESOLVE_BEGIN,
    (context) => {
      for (const reflection of context.project.children ?? []) {
        if (!reflection.kindOf(ReflectionKind.Module) || reflection.name === REDIS_MODULE || reflection.name === TESTING_MODULE) continue;
        reflection.comment ??= new Comment();
        reflection.comment.blockTags.push(new CommentTag('@mergeModuleWith', [{ kind: 'text', text: '<project>' }]));
      }
    },
    20_000,
  );
  // Before typedoc's own CategoryPlugin, which reads the tags at priority -200.
  app.converter.on(
    Converter.EVENT_RESOLVE_END,
    (context) => {
      for (const document of context.project.documents ?? []) document.frontmatter.category ??= GUIDES;
      const children = context.project.children ?? [];
      categorise(children, CATEGORY_RULES);
      const redis = children.find((c) => c.name === REDIS_MODULE);
      if (redis !== undefined) categorise(redis.children ?? [], REDIS_CATEGORY_RULES);
      const testing = children.find((c) => c.name === TESTING_MODULE);
      if (testing !== undefined) categorise(testing.children ?? [], TESTING_CATEGORY_RULES);
    },
    0,
  );
}
