import { createHash, randomUUID } from 'node:crypto';

export type ChangeType = 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';

/** One committed change to one record, as the write path reports it. */
export interface RecordChange {
  entity: string;
  changeType: ChangeType;
  recordId: string;
  /** The event's record fields: all non-null ones for CREATE/UNDELETE, the changed ones for UPDATE. */
  fields: Record<string, unknown>;
  changedFields: string[];
  userId: string;
  origin: string;
  transactionKey: string;
  sequenceNumber: number;
  at: number;
}

export interface ChangeEventHeader {
  entityName: string;
  recordIds: string[];
  changeType: string;
  changeOrigin: string;
  transactionKey: string;
  sequenceNumber: number;
  commitTimestamp: number;
  commitNumber: number;
  commitUser: string;
  changedFields: string[];
  diffFields: string[];
  nulledFields: string[];
}

/** The CometD shape of a change event: { schema, payload: { ChangeEventHeader, …fields }, event: { replayId } }. */
export interface ChangeEventMessage {
  schema: string;
  payload: { ChangeEventHeader: ChangeEventHeader } & Record<string, unknown>;
  event: { EventUuid: string; replayId: number };
}

export interface StoredEvent {
  replayId: number;
  entity: string;
  at: number;
  message: ChangeEventMessage;
}

export interface RetentionOptions {
  /** Events kept per org for replay, oldest dropped first. */
  maxEvents: number;
  /** Salesforce keeps change events 72 hours. */
  maxAgeMs: number;
}

export const DEFAULT_RETENTION: RetentionOptions = { maxEvents: 50_000, maxAgeMs: 72 * 3_600_000 };

// Salesforce sends the id of the event's Avro schema; a stable digest of the entity stands in for it.
const schemaIdOf = (entity: string) =>
  createHash('sha256').update(`${entity}ChangeEvent`).digest('base64url').slice(0, 22);

/**
 * One org's event bus for Change Data Capture: replay ids, bounded retention, and the test hooks
 * that make it lose events or report gaps as Salesforce can.
 */
export class ChangeEventLog {
  private events: StoredEvent[] = [];
  private nextReplayId = 1;
  private commitNumber = 10_000_000;
  private gapsToReport = 0;
  private eventsToDrop = 0;
  private readonly listeners = new Set<(event: StoredEvent) => void>();

  constructor(
    private readonly retention: RetentionOptions,
    private readonly now: () => number,
  ) {}

  publish(change: RecordChange): void {
    if (this.eventsToDrop > 0) {
      this.eventsToDrop--;
      return;
    }
    const gap = this.gapsToReport > 0;
    if (gap) this.gapsToReport--;
    const replayId = this.nextReplayId++;
    const header: ChangeEventHeader = {
      entityName: change.entity,
      recordIds: [change.recordId],
      changeType: gap ? `GAP_${change.changeType}` : change.changeType,
      changeOrigin: change.origin,
      transactionKey: change.transactionKey,
      sequenceNumber: change.sequenceNumber,
      commitTimestamp: change.at,
      commitNumber: this.commitNumber++,
      commitUser: change.userId,
      changedFields: gap ? [] : change.changedFields,
      diffFields: [],
      nulledFields: [],
    };
    const stored: StoredEvent = {
      replayId,
      entity: change.entity,
      at: change.at,
      message: {
        schema: schemaIdOf(change.entity),
        // A gap event says which records changed, never how: the subscriber reads them itself.
        payload: { ChangeEventHeader: header, ...(gap ? {} : change.fields) },
        event: { EventUuid: randomUUID(), replayId },
      },
    };
    this.events.push(stored);
    this.purge();
    for (const listener of this.listeners) listener(stored);
  }

  /** The next `count` changes are delivered as GAP_* events: header and record ids only. */
  reportGaps(count: number): void {
    this.gapsToReport += count;
  }

  /** The next `count` changes never reach the bus (a subscriber can only find them by querying). */
  dropEvents(count: number): void {
    this.eventsToDrop += count;
  }

  /** Forgets every retained event up to and including `replayId`, as the end of retention would. */
  expireThrough(replayId: number): void {
    this.events = this.events.filter((e) => e.replayId > replayId);
  }

  get latestReplayId(): number {
    return this.nextReplayId - 1;
  }

  /**
   * The retained events after `replayId` (-2: all retained, -1: none), or undefined when the id
   * is not one a subscriber can resume from: older than retention, or never issued.
   */
  after(replayId: number): StoredEvent[] | undefined {
    this.purge();
    if (replayId === -1) return [];
    if (replayId === -2) return [...this.events];
    const oldest = this.events[0]?.replayId ?? this.nextReplayId;
    if (!Number.isInteger(replayId) || replayId < oldest - 1 || replayId > this.latestReplayId)
      return undefined;
    return this.events.filter((e) => e.replayId > replayId);
  }

  listen(listener: (event: StoredEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private purge(): void {
    const cutoff = this.now() - this.retention.maxAgeMs;
    let drop = Math.max(0, this.events.length - this.retention.maxEvents);
    while (drop < this.events.length && this.events[drop]!.at < cutoff) drop++;
    if (drop > 0) this.events = this.events.slice(drop);
  }
}
