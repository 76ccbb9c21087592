// faye ships no types; these are the parts the sandbox's CometD endpoint uses.
declare module 'faye' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface BayeuxMessage {
    channel: string;
    clientId?: string;
    id?: string;
    subscription?: string | string[];
    successful?: boolean;
    error?: string;
    data?: unknown;
    ext?: Record<string, unknown>;
    advice?: Record<string, unknown>;
    supportedConnectionTypes?: string[];
  }

  export interface Extension {
    incoming?(
      message: BayeuxMessage,
      request: IncomingMessage | null,
      callback: (m: BayeuxMessage) => void,
    ): void;
    outgoing?(
      message: BayeuxMessage,
      request: IncomingMessage | null,
      callback: (m: BayeuxMessage) => void,
    ): void;
  }

  export class Client {
    publish(channel: string, data: unknown): Promise<unknown>;
    disconnect(): void;
  }

  export class NodeAdapter {
    constructor(options: { mount: string; timeout?: number });
    handle(request: IncomingMessage, response: ServerResponse): void;
    addExtension(extension: Extension): void;
    getClient(): Client;
    on(event: 'disconnect', listener: (clientId: string) => void): void;
    close(): void;
    _server: { closeSocket(clientId: string): void };
  }
}
