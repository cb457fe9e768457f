import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { AuthUser } from '../auth/current-user';
import { isUniqueViolation } from '../common/errors/constraint-violation';
import { DomainError } from '../common/errors/domain-error';
import { canonicalJson } from '../common/idempotency/canonical-json';
import { type CreationIds, randomIds, writtenUnderThisKey } from '../common/idempotency/creation-ids';
import { Clock } from '../common/clock';
import {
  type CreateTicketDto,
  type ListTicketsQueryDto,
  type QueueCountsDto,
  type QueueFiltersDto,
  type QueueQueryDto,
  type QueueView,
  type TicketFiltersDto,
  type TicketDto,
  type TicketEventDto,
  type UpdateTicketDto,
} from './dto/ticket.dto';
import { TicketEvent } from './entities/ticket-event.entity';
import { Ticket } from './entities/ticket.entity';
import { DEFAULT_PAGE_SIZE, keysetPage, type Page } from '../common/pagination/keyset';
import { pick, recordEvent, type TrackedField } from './ticket-events';
import { TicketIntakeService } from './ticket-intake.service';
import { QUEUE_ORDER, queueViewSql } from './ticket-queue';
import { TicketReaders } from './ticket-reader';
import { ownersCall } from './ticket-owner';
import { ticketScope } from './ticket-scope';
import { OPEN_STATUSES } from './ticket-status';
import { expectedVersion, versionConflict } from './versioning';

const EDITABLE = ['title', 'description', 'category', 'attachments'] as const;

/** List filters that are a plain equality on one column. */
const EQUALITY_FILTERS = {
  status: 't.status',
  tier: 't.tier',
  departmentId: 't.department_id',
  leaderId: 't.paired_leader_id',
  enterpriseId: 't.enterprise_id',
  category: 't.category',
  channel: 't.channel',
} as const satisfies Partial<Record<keyof TicketFiltersDto, string>>;

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

@Injectable()
export class TicketsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly intake: TicketIntakeService,
    private readonly clock: Clock,
    private readonly readers: TicketReaders,
  ) {}

  /** `ids` names the new ticket (see CreationIds). */
  async create(user: AuthUser, input: CreateTicketDto, ids: CreationIds): Promise<TicketDto> {
    const demand = await this.intake.route(input);
    // No transaction: intake writes a single statement, and BEGIN and COMMIT would be two more round trips.
    const file = (id: string) => this.intake.intake(this.dataSource.manager, user, { ...demand, id, engagementId: null });
    const id = ids('ticket');
    try {
      return await this.readers.toDto(user, await file(id));
    } catch (error) {
      if (!isUniqueViolation(error, 'tickets_pkey')) throw error;
      const earlier = await this.dataSource.getRepository(Ticket).findOneByOrFail({ id });
      // The retry of a request whose first attempt was written but never answered: that ticket is its answer.
      if (writtenUnderThisKey(earlier.createdAt, this.clock.now())) return this.readers.toDto(user, earlier);
      return this.readers.toDto(user, await file(randomIds('ticket')));
    }
  }

  async list(user: AuthUser, query: ListTicketsQueryDto): Promise<Page<TicketDto>> {
    const tickets = this.filtered(user, query);
    const byDeadline = query.sort === 'dueAt' || query.sort === '-dueAt';
    const page = await keysetPage(tickets, {
      alias: 't',
      column: byDeadline ? 'due_at' : 'created_at',
      property: byDeadline ? 'dueAt' : 'createdAt',
      descending: query.sort === undefined || query.sort.startsWith('-'),
      cursor: query.cursor,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
    });
    return { items: await this.readers.toDtos(user, page.items), nextCursor: page.nextCursor };
  }

  /** The caller's work queue: one view, the list's filters and scope, keyset pages in the view's order. */
  async queue(user: AuthUser, query: QueueQueryDto): Promise<Page<TicketDto>> {
    const { view = 'open', cursor, limit, ...filters } = query;
    const condition = queueViewSql(user, view);
    const tickets = this.filtered(user, filters).andWhere(condition.sql, { ...condition.params, standingNow: this.clock.now() });
    const page = await keysetPage(tickets, { ...QUEUE_ORDER[view], cursor, limit: limit ?? DEFAULT_PAGE_SIZE });
    return { items: await this.readers.toDtos(user, page.items), nextCursor: page.nextCursor };
  }

  /** How many tickets each view holds, with the same filters: one scan of what the caller handled. */
  async queueCounts(user: AuthUser, filters: QueueFiltersDto): Promise<QueueCountsDto> {
    const view = (name: QueueView) => queueViewSql(user, name);
    const counted = (name: QueueView) => `CAST(count(*) FILTER (WHERE ${view(name).sql}) AS integer)`;
    const row = await this.filtered(user, filters)
      .andWhere(view('handled').sql, { ...view('handled').params, standingNow: this.clock.now() })
      .select(counted('open'), 'open')
      .addSelect(counted('warned'), 'warned')
      .addSelect(counted('overdue'), 'overdue')
      .addSelect(counted('awaiting_survey'), 'awaitingSurvey')
      .addSelect('CAST(count(*) AS integer)', 'handled')
      .getRawOne<QueueCountsDto>();
    return row!;
  }

  async get(user: AuthUser, id: string): Promise<TicketDto> {
    return this.readers.toDto(user, await this.findVisible(user, id));
  }

  /** The demands raised at one engagement that the caller may see, in intake order. */
  async forEngagement(user: AuthUser, engagementId: string): Promise<TicketDto[]> {
    const tickets = await this.visible(user)
      .andWhere('t.engagement_id = :engagementId', { engagementId })
      .orderBy('t.createdAt', 'ASC')
      .addOrderBy('t.number', 'ASC')
      .getMany();
    return this.readers.toDtos(user, tickets);
  }

  async timeline(user: AuthUser, id: string): Promise<TicketEventDto[]> {
    await this.findVisible(user, id);
    const events = await this.dataSource.getRepository(TicketEvent).find({ where: { ticketId: id }, order: { id: 'ASC' } });
    return events.map(({ id: eventId, actorId, actorName, type, before, after, note, createdAt }) => ({
      id: eventId,
      actorId,
      actorName,
      type,
      before,
      after,
      note,
      createdAt,
    }));
  }

  /**
   * Applies the fields that differ, as one compare-and-set on the version the caller read,
   * and records them in the timeline.
   */
  async update(user: AuthUser, id: string, input: UpdateTicketDto, ifMatch: string | undefined): Promise<TicketDto> {
    const { version: bodyVersion, ...changes } = input;
    const expected = expectedVersion(ifMatch, bodyVersion);
    return this.dataSource.transaction(async (manager) => {
      const current = await this.findVisible(user, id, manager);
      if (current.version !== expected) throw versionConflict(current.version);

      const fields: TrackedField[] = EDITABLE.filter(
        (field) => changes[field] !== undefined && canonicalJson(changes[field]) !== canonicalJson(current[field]),
      );
      if (fields.length === 0) return this.readers.toDto(user, current, manager);
      const values: Partial<Ticket> = Object.fromEntries(fields.map((field) => [field, changes[field as keyof typeof changes]]));

      const write = manager
        .createQueryBuilder()
        .update(Ticket)
        .set({ ...values, version: () => 'version + 1' })
        .where('id = :id AND version = :expected', { id, expected });
      const scope = ticketScope(user, 'tickets');
      if (scope) write.andWhere(scope.sql, scope.params);
      const { affected } = await write.execute();
      if (!affected) {
        // Someone else's write landed between our read and this one.
        const latest = await manager.getRepository(Ticket).findOneByOrFail({ id });
        throw versionConflict(latest.version);
      }

      const updated = await manager.getRepository(Ticket).findOneByOrFail({ id });
      await recordEvent(manager, {
        ticketId: id,
        actorId: user.id,
        type: 'updated',
        before: pick(current, fields),
        after: pick(updated, fields),
      });
      return this.readers.toDto(user, updated, manager);
    });
  }

  /** The tickets the caller may see that match the list's filters (the list and the ledger export). */
  filtered(user: AuthUser, filters: TicketFiltersDto, manager?: EntityManager): SelectQueryBuilder<Ticket> {
    const tickets = this.visible(user, manager);
    for (const [param, column] of Object.entries(EQUALITY_FILTERS)) {
      const value = filters[param as keyof typeof EQUALITY_FILTERS];
      if (value !== undefined) tickets.andWhere(`${column} = :${param}`, { [param]: value });
    }
    if (filters.createdFrom) tickets.andWhere('t.created_at >= :createdFrom', { createdFrom: filters.createdFrom });
    if (filters.createdTo) tickets.andWhere('t.created_at < :createdTo', { createdTo: filters.createdTo });
    if (filters.resolvedFrom) tickets.andWhere('t.resolved_at >= :resolvedFrom', { resolvedFrom: filters.resolvedFrom });
    if (filters.resolvedTo) tickets.andWhere('t.resolved_at < :resolvedTo', { resolvedTo: filters.resolvedTo });
    if (filters.overdue !== undefined) {
      tickets.andWhere(`${filters.overdue ? '' : 'NOT '}(t.overdue_at IS NOT NULL AND t.status IN (:...openStatuses))`, {
        openStatuses: OPEN_STATUSES,
      });
    }
    if (filters.mine) {
      // Narrows within the scope above: held now, held before (the trigger's holder_ids), or a paired enterprise's.
      tickets.andWhere(
        `(:mineUserId = ANY((${ownersCall('t')}).user_ids)
          OR t.holder_ids @> ARRAY[:mineUserId]::uuid[]
          OR EXISTS (SELECT 1 FROM pairings mine_p
                     WHERE mine_p.enterprise_id = t.enterprise_id AND mine_p.leader_id = :mineUserId AND mine_p.ended_on IS NULL))`,
        { mineUserId: user.id },
      );
    }
    if (filters.q) {
      tickets.andWhere('(t.title ILIKE :q OR t.description ILIKE :q OR t.number ILIKE :q)', {
        q: `%${escapeLike(filters.q)}%`,
      });
    }
    return tickets;
  }

  /** Tickets the caller may see: every ticket query starts here. */
  private visible(user: AuthUser, manager: EntityManager = this.dataSource.manager): SelectQueryBuilder<Ticket> {
    const query = manager.getRepository(Ticket).createQueryBuilder('t');
    const scope = ticketScope(user);
    if (scope) query.andWhere(scope.sql, scope.params);
    return query;
  }

  /** Out of scope and missing look the same: 404, never 403. */
  private async findVisible(user: AuthUser, id: string, manager?: EntityManager): Promise<Ticket> {
    const ticket = await this.visible(user, manager).andWhere('t.id = :id', { id }).getOne();
    if (!ticket) throw new DomainError('not_found', `No ticket ${id}`);
    return ticket;
  }
}
