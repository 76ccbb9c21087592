import type { IncomingMessage } from 'node:http';

import type { RequestHandler } from 'express';
import { type BayeuxMessage, type Extension, NodeAdapter } from 'faye';

import type { StoredEvent } from './change-events';
import type { SalesforceSandboxStore } from './store';

interface StreamingClient {
  orgId: string;
  accessToken: string;
  /** public channel → the client's own faye channel */
  subscriptions: Map<string, string>;
}

const CHANGE_EVENTS = '/data/ChangeEvents';
const tokenOf = (request: IncomingMessage | null) =>
  /^(?:OAuth|Bearer) (.+)$/.exec(String(request?.headers.authorization ?? ''))?.[1];
// Each subscription gets a faye channel of its own, so an org's events reach only its clients and
// a replay reaches only the client that asked for it.
const privateChannel = (clientId: string, channel: string) => `/sfsandbox/${clientId}${channel}`;
const publicChannel = (channel: string) => channel.replace(/^\/sfsandbox\/[^/]+/, '');

const invalidReplay = (replayId: unknown) =>
  `400::The replayId {${String(replayId)}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`;

export interface StreamingHooks {
  /** Forgets the org's streaming clients, as a server restart would: each must handshake and subscribe again. */
  dropClients(orgId: string): void;
}

/**
 * The Streaming API's CometD endpoint (/cometd/NN.0) for Change Data Capture, on faye's Bayeux
 * server: long-polling only, OAuth header auth, Salesforce's handshake ext and error strings, and
 * the replay extension (ext.replay = { channel: replayId }) answered from the org's event bus.
 */
export function cometdEndpoint(
  store: SalesforceSandboxStore,
  options: { timeoutSeconds?: number } = {},
): { handler: RequestHandler; hooks: StreamingHooks; close(): void } {
  const adapter = new NodeAdapter({ mount: '/cometd', timeout: options.timeoutSeconds ?? 110 });
  const clients = new Map<string, StreamingClient>();
  const dropped = new Set<string>();
  const failures = new WeakMap<IncomingMessage, string>();
  const publisher = adapter.getClient();
  const listening = new Set<string>();
  const pendingReplays = new Map<string, number>();

  const deliver = (clientId: string, channel: string, event: StoredEvent) =>
    void publisher.publish(privateChannel(clientId, channel), event.message);
  const listenTo = (orgId: string) => {
    if (listening.has(orgId)) return;
    listening.add(orgId);
    store.org(orgId)!.changes.listen((event) => {
      for (const [clientId, client] of clients)
        if (client.orgId === orgId)
          for (const channel of client.subscriptions.keys())
            if (channel === CHANGE_EVENTS || channel === `/data/${event.entity}ChangeEvent`)
              deliver(clientId, channel, event);
    });
  };
  adapter.on('disconnect', (clientId) => clients.delete(clientId));

  const incoming: NonNullable<Extension['incoming']> = (message, request, callback) => {
    if (request === null) return callback(message);
    const client = message.clientId ? clients.get(message.clientId) : undefined;
    switch (message.channel) {
      case '/meta/handshake': {
        const token = tokenOf(request);
        const session = token ? store.session(token) : undefined;
        if (!session?.ok) {
          failures.set(
            request,
            token ? '401::Authentication invalid' : '401::Request requires authentication',
          );
          message.error = '403::Handshake denied';
        }
        break;
      }
      case '/meta/connect':
        if (message.clientId && dropped.has(message.clientId))
          message.error = '403::Unknown client';
        else if (client && store.sessionRevoked(client.accessToken))
          message.error = '401::Authentication invalid';
        break;
      case '/meta/subscribe':
      case '/meta/unsubscribe':
        if (client) rewriteSubscription(message, client);
        break;
      default:
        if (!message.channel.startsWith('/meta/')) message.error = '403::Publish denied';
    }
    callback(message);
  };

  const rewriteSubscription = (message: BayeuxMessage, client: StreamingClient) => {
    const channel = String(message.subscription);
    if (message.channel === '/meta/unsubscribe') {
      client.subscriptions.delete(channel);
      message.subscription = privateChannel(message.clientId!, channel);
      return;
    }
    const org = store.org(client.orgId)!;
    const entity = /^\/data\/(\w+)ChangeEvent$/.exec(channel)?.[1];
    if (channel !== CHANGE_EVENTS && !(entity && org.schema(entity)?.def.cdc)) {
      message.error = `400::The channel you requested to subscribe to does not exist {${channel}}`;
      return;
    }
    const replayId =
      ((message.ext?.replay as Record<string, unknown> | undefined) ?? {})[channel] ?? -1;
    if (typeof replayId !== 'number' || !org.changes.after(replayId)) {
      message.error = invalidReplay(replayId);
      return;
    }
    pendingReplays.set(`${message.clientId} ${channel}`, replayId);
    message.subscription = privateChannel(message.clientId!, channel);
  };

  const outgoing: NonNullable<Extension['outgoing']> = (message, request, callback) => {
    if (message.channel.startsWith('/sfsandbox/')) message.channel = publicChannel(message.channel);
    if (request === null) return callback(message);
    if (message.channel === '/meta/handshake') {
      const failure = failures.get(request);
      message.ext = {
        replay: true,
        'payload.format': true,
        ...(failure ? { sfdc: { failureReason: failure } } : {}),
      };
      if (failure) message.advice = { reconnect: 'none', interval: 0 };
      else {
        message.supportedConnectionTypes = ['long-polling'];
        const session = store.session(tokenOf(request)!);
        if (session.ok && message.clientId) {
          clients.set(message.clientId, {
            orgId: session.org.orgId,
            accessToken: tokenOf(request)!,
            subscriptions: new Map(),
          });
          listenTo(session.org.orgId);
        }
      }
    }
    if (message.channel === '/meta/connect' && message.error) {
      const unknown = /Unknown client/i.test(message.error);
      if (unknown) message.error = '403::Unknown client';
      message.advice = { reconnect: unknown ? 'handshake' : 'none', interval: 0 };
    }
    if (
      (message.channel === '/meta/subscribe' || message.channel === '/meta/unsubscribe') &&
      message.subscription
    )
      message.subscription = publicChannel(String(message.subscription));
    callback(message);
  };

  // After a subscribe is acknowledged: send what its replay id asks for, then go live.
  const startReplay = (reply: BayeuxMessage) => {
    if (reply.channel !== '/meta/subscribe' || !reply.clientId) return;
    const channel = String(reply.subscription);
    const key = `${reply.clientId} ${channel}`;
    const from = pendingReplays.get(key);
    pendingReplays.delete(key);
    const client = clients.get(reply.clientId);
    if (!reply.successful || from === undefined || !client) return;
    const entity =
      channel === CHANGE_EVENTS ? undefined : /^\/data\/(\w+)ChangeEvent$/.exec(channel)?.[1];
    for (const event of store.org(client.orgId)!.changes.after(from) ?? [])
      if (!entity || event.entity === entity) deliver(reply.clientId, channel, event);
    client.subscriptions.set(channel, privateChannel(reply.clientId, channel));
  };

  adapter.addExtension({
    incoming,
    outgoing: (message, request, callback) =>
      outgoing(message, request, (reply) => {
        startReplay(reply);
        callback(reply);
      }),
  });

  return {
    handler: (req, res) => adapter.handle(req, res),
    hooks: {
      dropClients(orgId) {
        for (const [clientId, client] of clients)
          if (client.orgId === orgId) {
            clients.delete(clientId);
            dropped.add(clientId);
            // Answers the client's pending long poll now, so its next connect learns it is unknown.
            adapter._server.closeSocket(clientId);
          }
      },
    },
    close: () => {
      publisher.disconnect();
      adapter.close();
    },
  };
}
