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
 */
import { Comment, CommentTag, Converter } from 'typedoc';

/** The category of the project documents. */
export const GUIDES = 'Guides';

/** @type {Array<[category: string, pattern: RegExp]>} */
export const CATEGORY_RULES = [
  ['Framing core', /^Framing/],
  ['Cluster (several nodes)', /^Cluster|^(Any)?RemoteStation$|^Remote(Call|Failure|Outcome)|^StationRef$|^ClaimResult$|^PresenceChange$|^Delivery$|^Fleet$|^Memory(Cluster|AdapterOptions)$|^StationNotConnected/],
  ['OCPP messages and actions', /^(OCPP16|OCPP201|OCPP21)(_ACTIONS|ActionMap)?$|^OCPP_PROTOCOLS$|^OcppVersion$|^Action|^actionSender$|^canSend$|^isKnownAction$|^(Incoming|Outgoing)Actions$|^(Ocpp|Peer)Role$|^Shapes$/],
  ['Errors', /Error$|ErrorInit$|^RpcError|^RPC_ERROR_|^createRpcError$|^isRpcErrorCode$|^INTERNAL_ERROR_DESCRIPTION$/],
  ['Validation', /^(validatePayload|createPayloadValidator)$|^Payload|^Validation|^DirectionModes$/],
  ['Central system (server)', /^CentralSystem|^(Any)?Station|^LocalStationRegistry$|^(Listen|Close|BootGating|Compression)Options$|^ListenFailure$|^Auth(Request|Result)$|^Refus|^DisconnectEvent$|^SecurityProfile$|^safeEqual$|^parseBasicAuth$|^DEFAULT_COMPRESSION$/],
  ['Charge point (client)', /^(Any)?ChargePoint|^BootOptions$|^Callable|^Call(Request|Response)$|^ClientCompressionOptions$|^Common(ChargePointAction|Request|Response)$|^Boot(Request|Response|Status)$|^Offline|^(Memory)?QueueStore$|^QueuedMessage$|^TransactionRetryOptions$|^ClientTlsOptions$|^Backoff|^DEFAULT_BACKOFF$|^backoffDelay$|^basicAuthHeader$|^BasicCredentials$/],
  ['Events and logging', /Event$|^Logger$|^LogLevel$|^Direction$/],
  ['Framing core', /Frame|^Framing|^parseFrame$|^serializeFrame$|^Parse|^MessageType|^RpcEndpoint|^ResolvedRpcEndpointOptions$|^Transport|^createMemoryTransportPair$|^Handler|^CallOptions$|^JsonObject$|^ProtocolRules$|_RULES$|^rulesFor$|^isValidMessageId$|^MAX_|^DEFAULT_/],
];

/** The category the rules give `name`, or undefined. */
export function categoryOf(name) {
  for (const [category, pattern] of CATEGORY_RULES) if (pattern.test(name)) return category;
  return undefined;
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  // Before typedoc's own CategoryPlugin, which reads the tags at priority -200.
  app.converter.on(
    Converter.EVENT_RESOLVE_END,
    (context) => {
      for (const document of context.project.documents ?? []) document.frontmatter.category ??= GUIDES;
      for (const reflection of context.project.children ?? []) {
        const tagged = [reflection.comment, ...(reflection.signatures ?? []).map((s) => s.comment)].some((c) => c?.blockTags.some((t) => t.tag === '@category'));
        if (tagged) continue;
        const category = categoryOf(reflection.name);
        if (category === undefined) continue;
        reflection.comment ??= new Comment();
        reflection.comment.blockTags.push(new CommentTag('@category', [{ kind: 'text', text: category }]));
      }
    },
    0,
  );
}
