// Type declarations for pdprime-realtime.js (protocol pdprime.realtime.v1). Guide: docs/client.md.

export declare const SUBPROTOCOL: "pdprime.realtime.v1";

export type ConnectionState =
  | "idle"
  | "connecting"
  | "open"
  | "reconnecting"
  | "offline"
  | "closed"
  | "gave-up";

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

export interface TokenRequest {
  /** true after close 4001, or when the previous socket never reached `welcome` (a refused
   * handshake shows as 1006 in browsers): do not return a cached token. */
  forceRefresh: boolean;
  /** Reconnect attempts since the last stable connection; absent on an "expiring" refresh. */
  attempt?: number;
  /** How the previous socket closed; absent on an "expiring" refresh. */
  lastClose?: CloseInfo | null;
  /** "expiring": a replacement for the open socket's token ahead of its `exp` (`refresh`). */
  reason?: "expiring";
}

export interface CloseInfo {
  /** Close code; 4000 when the client itself dropped the socket (heartbeat, connect timeout,
   * browser offline); null when no socket was made (token provider failed). */
  code: number | null;
  reason: string;
  at: number;
  byClient: boolean;
}

export interface WindowLike {
  addEventListener(type: "online" | "offline", fn: () => void): void;
  removeEventListener(type: "online" | "offline", fn: () => void): void;
  navigator?: { onLine?: boolean };
}

export interface WebSocketLike {
  readonly protocol?: string;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onclose: ((ev: { code: number; reason: string; wasClean?: boolean }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketConstructor = new (url: string, protocols: string[]) => WebSocketLike;

export interface ClientTuning {
  /** Backoff base, ms. Default 500. */
  backoffBaseMs?: number;
  /** Backoff factor. Default 2. */
  backoffFactor?: number;
  /** Backoff cap, ms. Default 20000. */
  backoffCapMs?: number;
  /** Reconnect attempts before 'gave-up'. Default Infinity. */
  maxAttempts?: number;
  /** Open this long (after welcome) and the attempt counter resets. Default 10000. */
  stableAfterMs?: number;
  /** Added to the backoff after close 4029. Default 20000. */
  rateLimitedDelayMs?: number;
  /** Default timeout of request(), queueing included. Default 10000. */
  requestTimeoutMs?: number;
  /** Commands waiting to be sent, at most. Default 100. */
  maxQueue?: number;
  /** From connect (token fetch included) to welcome. Default 10000. */
  connectTimeoutMs?: number;
  /** Application ping interval; null = welcome.heartbeatMs. Default null. */
  pingIntervalMs?: number | null;
  /** No frame this long after a ping = dead connection. Default 10000. */
  pongTimeoutMs?: number;
  /** Heartbeat assumed before the welcome. Default 25000. */
  heartbeatMs?: number;
  /** Largest command in UTF-8 bytes. Default 65536. */
  maxFrameBytes?: number;
  /** Send pacing. Defaults 15 per second, burst 30 (server: 20/s, burst 40). */
  sendRatePerSecond?: number;
  sendBurst?: number;
  /** Wait before resending a subscribe refused with RATE_LIMITED or SERVER_BUSY (jittered to [1x, 2x)). Default 1000. */
  subscribeRetryDelayMs?: number;
  /** Refresh the token over the open socket this long before its exp (default 60000). */
  refreshBeforeExpiryMs?: number;
}

export interface RealtimeClientOptions extends ClientTuning {
  /** ws:// or wss:// URL of /ws or /ws/admin (ENDPOINTS). See realtimeUrl(). */
  url: string;
  /** Called before every connect; resolves to the JWT. */
  tokenProvider: (request: TokenRequest) => Promise<string> | string;
  /** Default: globalThis.WebSocket. */
  WebSocketImpl?: WebSocketConstructor;
  /** Default: Date.now / setTimeout / clearTimeout. */
  clock?: Clock;
  /** Default: Math.random. Returns a number in [0, 1). */
  random?: () => number;
  /** Source of online/offline events. Default: globalThis when it has addEventListener; null = none. */
  window?: WindowLike | null;
  /** Where errors go when nobody listens to 'error'. Default: console. */
  logger?: { error(...args: unknown[]): void } | null;
}

export declare const DEFAULTS: Readonly<Required<Omit<ClientTuning, "pingIntervalMs">> & { pingIntervalMs: null }>;

export type ClientErrorCode =
  | "TIMEOUT"
  | "QUEUE_FULL"
  | "CONNECTION_LOST"
  | "CLOSED"
  | "GAVE_UP"
  | "FRAME_TOO_LARGE"
  | "INVALID_ARGUMENT"
  | "ALREADY_SUBSCRIBED"
  | "NOT_SUBSCRIBED"
  | "UNSUBSCRIBED"
  | "TOKEN_PROVIDER_FAILED"
  | "TOKEN_INVALID"
  | "WEBSOCKET_FAILED"
  | "SUBPROTOCOL_MISMATCH"
  | "SERVER_FRAME_INVALID"
  | "GAP_DETECTED"
  | "LISTENER_FAILED"
  | "SERVER_CLOSED"
  | "HTTP_FAILED"
  | "HTTP_RESPONSE_INVALID";

export declare const CLIENT_ERROR_ACTIONS: Readonly<Record<ClientErrorCode, string>>;

export declare class RealtimeError extends Error {
  constructor(code: string, message: string, action?: string, extra?: Record<string, unknown>);
  readonly name: "RealtimeError";
  /** A server error code (protocol §10) or a ClientErrorCode. */
  readonly code: string;
  /** What to do about it. */
  readonly action: string;
  /** The command id, for server error frames. */
  readonly replyTo?: string | null;
  /** The error frame's `details` object, when the server sends one. */
  readonly details?: Record<string, unknown>;
  /** The server frame, when there is one. */
  readonly frame?: unknown;
  /** TIMEOUT: whether the command had been sent. */
  readonly sent?: boolean;
  /** TIMEOUT: the command id. */
  readonly id?: string;
  /** CONNECTION_LOST / SERVER_CLOSED: the close code. */
  readonly closeCode?: number | null;
  /** REST errors (notifications): the HTTP status. */
  readonly status?: number;
  /** REST errors: the Retry-After header, when the server sent one. */
  readonly retryAfter?: string | null;
}

export interface Position {
  epoch: string;
  seq: number;
}

export interface SubscribeData {
  room: string;
  epoch: string;
  seq: number;
  /** Present when `since` was sent. */
  recovered?: boolean;
  replayed?: number;
  /** With recovered:false: EPOCH_CHANGED, POSITION_AHEAD, TOO_FAR_BEHIND, HISTORY_EXPIRED. */
  reason?: string;
  /** The room's state, for room types that have one (passed through unchanged). */
  snapshot?: unknown;
}

export interface ResetData extends SubscribeData {
  recovered: false;
}

export interface RoomEvent<D = Record<string, unknown>> {
  type: "event";
  room: string;
  name: string;
  /** Absent on ephemeral events. */
  epoch?: string;
  seq?: number;
  ephemeral?: true;
  ts: number;
  data: D;
}

export interface SubscribeOptions {
  /** The server answered recovered:false, or the room's epoch changed: reload the room's state. */
  onReset?: (data: ResetData) => void;
  /** A resubscribe after a reconnect was refused; the room is no longer tracked. */
  onError?: (error: RealtimeError) => void;
  /** Resume from a position the app stored (e.g. across a page reload). */
  since?: Position;
  /** Every accepted subscribe reply (the first, and each after a reconnect or resync), called
   * before the events that follow it. */
  onSubscribed?: (data: SubscribeData) => void;
}

// ---------------------------------------------------------------------------- dashboards

export type DashboardName = "quotes" | "conversion" | "performance";

/** `hours` is required (1..168, a whole number). `state` and `agent`: quotes and conversion only. */
export interface DashboardFilters {
  hours: number;
  /** A US state code in upper case (50 states and DC). */
  state?: string;
  /** The agent's token subject: 1-128 characters from A-Z a-z 0-9 . _ @ | : - */
  agent?: string;
}

export interface QuotesDashboardState {
  totals: { quotes: number; customers: number; averagePremium: number | null };
  byStatus: Record<string, number>;
  /** One key per UTC hour start of the window, zero-filled; sort the keys. */
  timeline: Record<string, number>;
  /** At most 10; sort by value, descending. */
  topStates: Record<string, number>;
}

export interface ConversionDashboardState {
  funnel: { created: number; quoted: number; bound: number };
  /** Fractions of `created`; null when created is 0. */
  rates: { quoted: number | null; bound: number | null };
  medianTimeToBindSeconds: number | null;
}

export interface PerformanceDashboardState {
  calculations: { count: number; p50Ms: number | null; p95Ms: number | null };
  delivery: { p50Ms: number | null; p99Ms: number | null; instance: string };
  connections: { open: number };
  /** Close code -> count. */
  closes: Record<string, number>;
  /** Error code -> count. */
  errors: Record<string, number>;
}

export interface DashboardStates {
  quotes: QuotesDashboardState;
  conversion: ConversionDashboardState;
  performance: PerformanceDashboardState;
}

/** The dashboard's state as the server sends it (`data.snapshot` of the subscribe reply, the `snapshot` command). */
export interface DashboardSnapshot<S = unknown> {
  version: number;
  computedAt: string | null;
  /** null: the stream is starting (at version 0, or at the version a stopped stream had). */
  state: S | null;
}

export interface DashboardChange {
  version: number;
  /** "snapshot": the state was replaced (subscribe reply, dashboard.snapshot event, snapshot command);
   * "delta": a dashboard.delta was applied. */
  kind: "snapshot" | "delta";
  computedAt: string | null;
  /** true: the server's stream is starting; the state is null and the first real state (a
   * dashboard.snapshot) follows within about 2 s. onChange is called like this, then with the state. */
  starting: boolean;
}

export interface DashboardOptions {
  /** A resubscribe refused after a reconnect, or the room revoked at a token refresh; the
   * dashboard gets no more updates. */
  onError?: (error: RealtimeError) => void;
}

export interface DashboardHandle<S = unknown> {
  /** The canonical room, e.g. analytics:quotes;hours=24;state=TX */
  readonly room: string;
  /** The current state; null while starting. Do not modify it: updates share unchanged parts. */
  state(): S | null;
  /** The version of state(); null while a snapshot is awaited after a reply without one. */
  version(): number | null;
  /** Unsubscribe; onChange is not called any more. */
  close(): Promise<{ room: string }>;
}

export declare const DASHBOARDS: Readonly<Record<DashboardName, readonly ("state" | "agent")[]>>;
export declare const US_STATES: readonly string[];

/** The canonical room of a dashboard; throws RealtimeError INVALID_ARGUMENT for a bad name or filter. */
export declare function dashboardRoom(name: DashboardName, filters: DashboardFilters): string;

/** RFC 7386 JSON Merge Patch; returns the patched value and leaves `target` unchanged. */
export declare function mergePatch(target: unknown, patch: unknown): unknown;

// ---------------------------------------------------------------------------- notifications

export type NotificationPriority = "critical" | "normal" | "low";
export type NotificationList = "all" | "held" | "unread" | "read";

/** A notification as GET /api/v1/notifications and the `notification` event carry it (times ISO-8601 UTC). */
export interface UserNotification {
  id: string;
  type: string;
  priority: NotificationPriority;
  title: string;
  body: string;
  data: Record<string, unknown> | null;
  createdAt: string;
  /** held: when the business window (or the end of quiet hours) lets it go. */
  deliverAfter: string | null;
  deliveredAt: string | null;
  readAt: string | null;
  state: "held" | "delivered" | "read" | "muted";
}

export interface NotificationPage {
  items: UserNotification[];
  /** The user's unread count when the page was read. */
  unread: number;
  /** Pass as paging.before for the next (older) page; null: no more. */
  next: string | null;
}

/** `notification.read` data: published for socket and REST reads alike, to every socket of the user. */
export interface NotificationsRead {
  ids: string[];
  readAt: string | null;
  unread: number;
}

export interface NotificationPreferencesBody {
  /** IANA zone; null: the zone of the user's US state (else the server's default). */
  timeZone: string | null;
  /** Local times "HH:mm" in the effective zone; null: none. */
  quietHours: { start: string; end: string } | null;
  /** Types not delivered (critical and security.* cannot be muted: 400 NOTIFICATION_TYPE_UNMUTABLE). */
  mutedTypes: string[];
}

export interface NotificationPreferences extends NotificationPreferencesBody {
  /** The zone the server uses: timeZone, else the state's, else the default. */
  effectiveTimeZone: string;
}

export interface NotificationsOptions {
  /** Absolute http(s) URL of the REST API, e.g. "https://host/api/v1/" (required). */
  apiUrl: string;
  /** The user whose room user:{subject} to follow; default: the subject of the welcome (required before it). */
  subject?: string;
  /** Bearer token for the REST calls; default: the client's tokenProvider. */
  restToken?: () => Promise<string>;
  fetchImpl?: typeof fetch;
  /** The unread count changed: "server" (a REST answer), "notification" (one arrived), "read" (a notification.read event). */
  onUnread?: (count: number, info: { cause: "server" | "notification" | "read" }) => void;
  /** A notification was delivered to the user (state "delivered"). */
  onNotification?: (notification: UserNotification, event: RoomEvent<UserNotification>) => void;
  /** Notifications were read, on this socket, another one of the user, or over REST. */
  onRead?: (read: NotificationsRead, event: RoomEvent<NotificationsRead>) => void;
  /** Every event of the user room, notification ones included, after the callbacks above. */
  onEvent?: (event: RoomEvent) => void;
  /** Events of the room were missed and cannot be replayed: reload the lists (the count is reloaded). */
  onReset?: (data: ResetData) => void;
  /** A count reload failed, a resubscribe was refused, or the room was revoked (the inbox then stops). */
  onError?: (error: RealtimeError) => void;
}

export interface NotificationsHandle {
  /** user:{subject} */
  readonly room: string;
  /** The unread count; null until the server has told it. */
  unread(): number | null;
  list(state: NotificationList, paging: { limit: number; before?: string }): Promise<NotificationPage>;
  /** Socket command notification.read; resolves with the server's reply data. */
  read(id: string): Promise<{ id: string; readAt: string; unread: number }>;
  /** Socket command notification.read-all. */
  readAll(): Promise<{ readAt: string | null; unread: 0; ids: string[] }>;
  getPreferences(): Promise<NotificationPreferences>;
  /** PUT replaces every preference: each member is required. */
  putPreferences(preferences: NotificationPreferencesBody): Promise<NotificationPreferences>;
  close(): Promise<{ room: string }>;
}

export declare const NOTIFICATION_LISTS: readonly NotificationList[];
export declare const NOTIFICATION_PRIORITIES: readonly NotificationPriority[];

export interface StateEvent {
  state: ConnectionState;
  previous: ConnectionState;
  /** Reconnect attempts since the last stable connection. */
  attempt: number;
  /** Close code that caused reconnecting / offline / closed / gave-up. */
  code?: number | null;
  reason?: string;
  /** reconnecting: ms until the next attempt. */
  delayMs?: number;
  /** open */
  connectionId?: string;
  subject?: string;
  heartbeatMs?: number;
  reconnected?: boolean;
  /** connecting: whether the token provider is asked for a fresh token. */
  forceRefresh?: boolean;
  /** closed by close() */
  byClient?: boolean;
  /** closed by a no-retry code or a client-side fatal error */
  error?: RealtimeError;
}

export interface WelcomeFrame {
  type: "welcome";
  connectionId: string;
  subject: string;
  heartbeatMs: number;
}

export interface ClientEvents {
  state: StateEvent;
  idle: StateEvent;
  connecting: StateEvent;
  open: StateEvent;
  reconnecting: StateEvent;
  offline: StateEvent;
  closed: StateEvent;
  "gave-up": StateEvent;
  welcome: WelcomeFrame;
  event: RoomEvent;
  reset: ResetData;
  /** The token was replaced over the open socket (protocol §3.8). */
  "token-refreshed": { expiresAt: string; revoked: string[] };
  /** The server ended a subscription: the refreshed token no longer grants the room. */
  revoked: { type: "revoked"; room: string; code: string; reason: string };
  resubscribed: SubscribeData;
  "subscription-error": { room: string; error: RealtimeError };
  duplicate: { room: string; epoch: string; seq: number; lastSeq: number };
  error: RealtimeError;
}

export declare class RealtimeClient {
  constructor(options: RealtimeClientOptions);
  readonly state: ConnectionState;
  readonly connectionId: string | null;
  readonly subject: string | null;
  readonly heartbeatMs: number;
  readonly lastClose: CloseInfo | null;
  readonly attempt: number;
  readonly stats: { duplicatesDropped: number; eventsDelivered: number; reconnects: number };
  connect(): void;
  close(reason?: string): void;
  request<T = Record<string, unknown>>(
    type: string,
    fields?: Record<string, unknown>,
    options?: { timeoutMs?: number },
  ): Promise<T>;
  ping(options?: { timeoutMs?: number }): Promise<{ ts: number }>;
  subscribe<D = Record<string, unknown>>(
    room: string,
    onEvent: (event: RoomEvent<D>) => void,
    options?: SubscribeOptions,
  ): Promise<SubscribeData>;
  unsubscribe(room: string): Promise<{ room: string }>;
  /** Follow a dashboard: onChange(state, info) for every new state, the first before the promise
   * resolves. Rejects with INVALID_ARGUMENT (bad name or filter), or the server's refusal
   * (FORBIDDEN_ROOM, INVALID_FILTER). See docs/client.md "Dashboards". */
  dashboard<K extends DashboardName>(
    name: K,
    filters: DashboardFilters,
    onChange: (state: DashboardStates[K] | null, info: DashboardChange) => void,
    options?: DashboardOptions,
  ): Promise<DashboardHandle<DashboardStates[K]>>;
  /** Follow the user's notifications: the unread count from the room's events, lists and
   * preferences over REST, reads over the socket. Resolves once subscribed; rejects with
   * INVALID_ARGUMENT or the server's refusal. See docs/client.md "Notifications". */
  notifications(options: NotificationsOptions): Promise<NotificationsHandle>;
  position(room: string): Position | null;
  rooms(): string[];
  on<K extends keyof ClientEvents>(type: K, fn: (arg: ClientEvents[K]) => void): () => void;
  off<K extends keyof ClientEvents>(type: K, fn: (arg: ClientEvents[K]) => void): void;
}

export declare function backoffDelay(
  attempt: number,
  options?: { backoffBaseMs?: number; backoffFactor?: number; backoffCapMs?: number; baseMs?: number; factor?: number; capMs?: number },
  random?: () => number,
): number;

/** Whether a subscribe or token refresh refused with this error code is sent again after subscribeRetryDelayMs (RATE_LIMITED, SERVER_BUSY). */
export declare function retriesSubscribe(code: string): boolean;
export declare function closeAction(code: number | null | undefined): "stop" | "refresh-token" | "rate-limited" | "retry";

/** The server's socket paths: `/ws` for everyone, `/ws/admin` for holders of admin:access. */
export declare const ENDPOINTS: Readonly<{ users: "/ws"; operators: "/ws/admin" }>;

/** ws(s):// URL of an absolute path (default ENDPOINTS.users) on the page's host; TypeError for a relative path. */
export declare function realtimeUrl(path?: string, location?: { protocol: string; host: string }): string;

export declare class Debouncer<A extends unknown[] = unknown[]> {
  constructor(fn: (key: string, ...args: A) => void, options?: { intervalMs?: number; clock?: Clock });
  /** true if fn ran now; false if it will run at the end of the key's interval. */
  call(key: string, ...args: A): boolean;
  pending(key: string): boolean;
  flush(key?: string): void;
  cancel(key?: string): void;
}

/** The `exp` of a JWT in milliseconds, or null if its payload cannot be read. */
export function jwtExpiryMs(token: string): number | null;
