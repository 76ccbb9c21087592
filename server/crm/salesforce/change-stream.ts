import { StreamingExtension } from 'jsforce/api/streaming';
import type { Logger } from 'pino';

import type { Database } from '../../db/database';
import type { CryptoBox } from '../../lib/crypto-box';
import { recordChanges } from '../changes';
import { markConnection } from '../connections';
import { CrmAuthError } from '../port';
import { openOrgSession, type SalesforceApp } from './credentials';
import { OrgApi } from './limits';
import { decodeChangeEvent } from './notifications';

/** Partner links have no change events; Account and Opportunity do. */
export const CDC_CHANNELS = ['/data/AccountChangeEvent', '/data/OpportunityChangeEvent'] as const;

export interface ChangeStreamDependencies {
  db: Database;
  box: CryptoBox;
  salesforce: SalesforceApp;
  logger: Logger;
  /** Notices were stored for the tenant: re-read what they name (the crm-changes queue). */
  onChanges(tenantId: string): Promise<unknown>;
  /** Events may have been missed: read what changed by SystemModstamp (an incremental sync). */
  onCatchUp(tenantId: string): Promise<unknown>;
  /** How often connections are looked for (new, reconnected, gone); 30 s. */
  scanEveryMs?: number;
  /**
   * How often each streamed org is caught up by SystemModstamp anyway: partner links (no CDC)
   * and anything the bus lost. Five minutes costs about 2,000 of the org's daily calls.
   */
  catchUpEveryMs?: number;
}

interface FayeClient {
  subscribe(channel: string, listener: (message: unknown) => void): PromiseLike<void>;
  disconnect(): unknown;
}

interface Stream {
  client: FayeClient;
  /** Events of this stream are handled one after another. */
  queue: Promise<unknown>;
  closed: boolean;
}

const INVALID_REPLAY = /replayId \{?-?\d+\}? you provided was invalid/i;

/**
 * Change Data Capture for every tenant with a connected Salesforce org: one CometD client per
 * org (jsforce streaming, replay ids resumed from Postgres), each event stored as notices and
 * handed to the same re-read path as HubSpot's webhooks. A replay id the bus no longer has, a
 * first subscription, a GAP_ or overflow event, and a timer each ask for a SystemModstamp
 * catch-up, so nothing missed stays missed. A malformed event is logged and counted, not fatal.
 */
export class SalesforceChangeStreams {
  private readonly streams = new Map<string, Stream>();
  private timers: NodeJS.Timeout[] = [];
  private scanning: Promise<void> | undefined;
  private readonly reopenedAt = new Map<string, number>();
  /** Events not in the shape of a change event, since start. */
  skipped = 0;
  received = 0;

  constructor(private readonly deps: ChangeStreamDependencies) {}

  async start(): Promise<void> {
    await this.scan();
    this.timers.push(
      setInterval(() => void this.scan(), this.deps.scanEveryMs ?? 30_000),
      setInterval(
        () => {
          for (const tenantId of this.streams.keys())
            void this.deps.onCatchUp(tenantId).catch(() => undefined);
        },
        this.deps.catchUpEveryMs ?? 5 * 60_000,
      ),
    );
    for (const timer of this.timers) timer.unref();
  }

  /** Opens streams for connected orgs that have none, closes those of orgs no longer connected. */
  scan(): Promise<void> {
    this.scanning ??= this.rescan().finally(() => (this.scanning = undefined));
    return this.scanning;
  }

  private async rescan(): Promise<void> {
    const rows = await this.deps.db.query<{ tenant_id: string }>(
      `select tenant_id from crm_credentials where provider = 'salesforce' and status in ('connected', 'paused')`,
    );
    const live = new Set(rows.map((row) => row.tenant_id));
    for (const tenantId of this.streams.keys()) if (!live.has(tenantId)) this.stop(tenantId);
    for (const tenantId of live)
      if (!this.streams.has(tenantId))
        await this.open(tenantId).catch((error: unknown) =>
          this.deps.logger.warn({ err: error, tenantId }, 'Salesforce change stream not opened'),
        );
  }

  isStreaming(tenantId: string): boolean {
    return this.streams.has(tenantId);
  }

  private async open(tenantId: string, resetChannels: readonly string[] = []): Promise<void> {
    const session = await openOrgSession(
      this.deps.db,
      this.deps.box,
      this.deps.salesforce,
      tenantId,
    );
    // A handshake needs a live access token: one cheap call refreshes it if it is not.
    try {
      await new OrgApi(session).call(() => session.conn.limits());
    } catch (error) {
      if (error instanceof CrmAuthError) {
        await markConnection(this.deps.db, tenantId, 'salesforce', {
          status: 'broken',
          reason: error.message,
        });
        return;
      }
      throw error;
    }
    for (const channel of resetChannels)
      await this.deps.db.query(
        `delete from crm_stream_positions where tenant_id = $1 and crm = 'salesforce' and channel = $2`,
        [tenantId, channel],
      );
    const positions = new Map(
      (
        await this.deps.db.query<{ channel: string; replay_id: string }>(
          `select channel, replay_id from crm_stream_positions where tenant_id = $1 and crm = 'salesforce'`,
          [tenantId],
        )
      ).map((row) => [row.channel, Number(row.replay_id)]),
    );
    const stream: Stream = {
      client: undefined as unknown as FayeClient,
      queue: Promise.resolve(),
      closed: false,
    };
    stream.client = session.conn.streaming.createClient([
      ...CDC_CHANNELS.map(
        (channel) => new StreamingExtension.Replay(channel, positions.get(channel) ?? -1),
      ),
      new StreamingExtension.AuthFailure(() => void this.authFailed(tenantId, stream)),
    ]) as unknown as FayeClient;
    this.streams.set(tenantId, stream);
    try {
      await Promise.all(
        CDC_CHANNELS.map((channel) =>
          stream.client.subscribe(channel, (message) => {
            stream.queue = stream.queue.then(() =>
              this.handle(tenantId, session.orgId, channel, message),
            );
          }),
        ),
      );
    } catch (error) {
      this.stop(tenantId);
      const message = (error as Error).message ?? String(error);
      if (INVALID_REPLAY.test(message) && resetChannels.length === 0) {
        this.deps.logger.warn(
          { tenantId },
          'Salesforce replay id no longer retained: catching up by SystemModstamp',
        );
        await this.open(tenantId, CDC_CHANNELS);
        return;
      }
      throw error;
    }
    // Whatever happened between the last event stored (or the full sync) and now is read by query.
    if (resetChannels.length > 0 || CDC_CHANNELS.some((channel) => !positions.has(channel)))
      await this.deps.onCatchUp(tenantId);
  }

  private async handle(tenantId: string, orgId: string, channel: string, message: unknown) {
    const decoded = decodeChangeEvent(orgId, message);
    if (!decoded.ok) {
      this.skipped++;
      this.deps.logger.warn(
        { tenantId, channel, reason: decoded.reason },
        'Salesforce change event skipped: not in the shape of a change event',
      );
      return;
    }
    this.received++;
    try {
      await recordChanges(this.deps.db, tenantId, 'salesforce', decoded.notices);
      await this.deps.db.query(
        `insert into crm_stream_positions (tenant_id, crm, channel, replay_id) values ($1, 'salesforce', $2, $3)
         on conflict (tenant_id, crm, channel) do update set replay_id = excluded.replay_id, updated_at = now()`,
        [tenantId, channel, String(decoded.replayId)],
      );
      if (decoded.notices.length > 0) await this.deps.onChanges(tenantId);
      if (decoded.catchUp) await this.deps.onCatchUp(tenantId);
    } catch (error) {
      // The replay id stays where it was: the catch-up reads what this event named.
      this.deps.logger.warn({ err: error, tenantId }, 'Salesforce change event not stored');
      await this.deps.onCatchUp(tenantId).catch(() => undefined);
    }
  }

  private async authFailed(tenantId: string, stream: Stream) {
    if (stream.closed) return;
    this.stop(tenantId);
    // At most one reopening a minute: a handshake refused on a fresh token waits for the next scan.
    const last = this.reopenedAt.get(tenantId) ?? 0;
    if (Date.now() - last < 60_000) return;
    this.reopenedAt.set(tenantId, Date.now());
    // An expired session is refreshed on reopening; a revoked grant marks the connection broken.
    await this.open(tenantId).catch((error: unknown) =>
      this.deps.logger.warn({ err: error, tenantId }, 'Salesforce change stream not reopened'),
    );
  }

  private stop(tenantId: string) {
    const stream = this.streams.get(tenantId);
    if (!stream) return;
    stream.closed = true;
    this.streams.delete(tenantId);
    try {
      stream.client.disconnect();
    } catch {
      // a client that never connected has nothing to end
    }
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    await this.scanning;
    for (const tenantId of [...this.streams.keys()]) this.stop(tenantId);
  }
}
