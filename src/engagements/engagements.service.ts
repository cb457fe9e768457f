import { Injectable } from '@nestjs/common';
import { DataSource, In, type SelectQueryBuilder } from 'typeorm';
import type { AuthUser } from '../auth/current-user';
import { isUniqueViolation } from '../common/errors/constraint-violation';
import { DomainError, type FieldError, invalidFields } from '../common/errors/domain-error';
import { type CreationIds, randomIds, writtenUnderThisKey } from '../common/idempotency/creation-ids';
import { Clock } from '../common/clock';
import type { DemandDto } from '../tickets/dto/ticket.dto';
import { TicketReaders } from '../tickets/ticket-reader';
import { DEFAULT_PAGE_SIZE, keysetPage, type Page } from '../common/pagination/keyset';
import { assertExisting } from '../tickets/references';
import { type RoutedDemand, TicketIntakeService } from '../tickets/ticket-intake.service';
import { TicketsService } from '../tickets/tickets.service';
import type {
  CreateEngagementDto,
  EngagementDetailDto,
  EngagementDto,
  ListEngagementsQueryDto,
} from './dto/engagement.dto';
import { engagementScope } from './engagement-scope';
import { EngagementEnterprise } from './entities/engagement-enterprise.entity';
import { Engagement } from './entities/engagement.entity';

const toDto = (e: Engagement, enterpriseIds: string[]): EngagementDto => ({
  id: e.id,
  type: e.type,
  occurredAt: e.occurredAt,
  place: e.place,
  officialIds: e.officialIds,
  enterpriseIds,
  notes: e.notes,
  createdBy: e.createdBy,
  createdAt: e.createdAt,
});

/** Each demand must come from an enterprise present at the engagement. */
function assertDemandsFromPresent(enterpriseIds: string[], demands: DemandDto[]): void {
  const present = new Set(enterpriseIds.map((id) => id.toLowerCase()));
  const errors: FieldError[] = demands.flatMap((demand, i) =>
    present.has(demand.enterpriseId.toLowerCase())
      ? []
      : [{ field: `demands.${i}.enterpriseId`, message: `Enterprise ${demand.enterpriseId} is not in enterpriseIds` }],
  );
  if (errors.length > 0) {
    throw invalidFields(errors);
  }
}

@Injectable()
export class EngagementsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly intake: TicketIntakeService,
    private readonly tickets: TicketsService,
    private readonly clock: Clock,
    private readonly readers: TicketReaders,
  ) {}

  /**
   * The engagement, who was there and every demand raised: one transaction, all or nothing.
   * `ids` names the engagement and its tickets (see CreationIds).
   */
  async create(user: AuthUser, input: CreateEngagementDto, ids: CreationIds): Promise<EngagementDetailDto> {
    const demands = input.demands ?? [];
    assertDemandsFromPresent(input.enterpriseIds, demands);
    const routed = await Promise.all(demands.map((demand) => this.intake.route(demand)));
    try {
      return await this.write(user, input, routed, ids);
    } catch (error) {
      if (!isUniqueViolation(error, 'engagements_pkey')) throw error;
      const earlier = await this.dataSource.getRepository(Engagement).findOneByOrFail({ id: ids('engagement') });
      // The retry of a request whose first attempt was written but never answered: that engagement is its answer.
      if (writtenUnderThisKey(earlier.createdAt, this.clock.now())) return this.get(user, earlier.id);
      return this.write(user, input, routed, randomIds);
    }
  }

  private write(user: AuthUser, input: CreateEngagementDto, routed: RoutedDemand[], ids: CreationIds): Promise<EngagementDetailDto> {
    return this.dataSource.transaction(async (manager) => {
      await assertExisting(manager, 'enterprise', input.enterpriseIds, 'enterpriseIds');
      await assertExisting(manager, 'user', input.officialIds ?? [], 'officialIds');
      const engagements = manager.getRepository(Engagement);
      const engagement = engagements.create({
        id: ids('engagement'),
        type: input.type,
        occurredAt: new Date(input.occurredAt),
        place: input.place ?? null,
        officialIds: input.officialIds ?? [],
        notes: input.notes ?? null,
        createdBy: user.id,
      });
      // insert, not save: save would update an engagement that already has this id.
      await engagements.insert(engagement);
      await manager.getRepository(EngagementEnterprise).insert(
        input.enterpriseIds.map((enterpriseId) => ({
          engagementId: engagement.id,
          enterpriseId,
          occurredAt: engagement.occurredAt,
        })),
      );
      const tickets = [];
      for (const [i, demand] of routed.entries()) {
        const ticket = await this.intake.intake(
          manager,
          user,
          { ...demand, id: ids('demand', i), channel: input.type, engagementId: engagement.id },
          `demands.${i}.`,
        );
        tickets.push(ticket);
      }
      // Ordered as a read returns them.
      const enterpriseIds = input.enterpriseIds.map((id) => id.toLowerCase()).sort();
      return { ...toDto(engagement, enterpriseIds), tickets: await this.readers.toDtos(user, tickets, manager) };
    });
  }

  async list(user: AuthUser, query: ListEngagementsQueryDto): Promise<Page<EngagementDto>> {
    const engagements = this.visible(user);
    if (query.type) engagements.andWhere('e.type = :type', { type: query.type });
    if (query.enterpriseId) {
      engagements.andWhere(
        `EXISTS (SELECT 1 FROM engagement_enterprises f_ee
                 WHERE f_ee.engagement_id = e.id AND f_ee.enterprise_id = :enterpriseId)`,
        { enterpriseId: query.enterpriseId },
      );
    }
    if (query.from) engagements.andWhere('e.occurred_at >= :from', { from: query.from });
    if (query.to) engagements.andWhere('e.occurred_at < :to', { to: query.to });
    const page = await keysetPage(engagements, {
      alias: 'e',
      column: 'occurred_at',
      property: 'occurredAt',
      descending: true,
      cursor: query.cursor,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
    });
    const present = await this.enterprisesAt(page.items.map((e) => e.id));
    return { items: page.items.map((e) => toDto(e, present.get(e.id) ?? [])), nextCursor: page.nextCursor };
  }

  /** One engagement with the demands raised there that the caller may see; out of scope is 404. */
  async get(user: AuthUser, id: string): Promise<EngagementDetailDto> {
    const engagement = await this.visible(user).andWhere('e.id = :id', { id }).getOne();
    if (!engagement) throw new DomainError('not_found', `No engagement ${id}`);
    const present = await this.enterprisesAt([id]);
    return { ...toDto(engagement, present.get(id) ?? []), tickets: await this.tickets.forEngagement(user, id) };
  }

  private visible(user: AuthUser): SelectQueryBuilder<Engagement> {
    const query = this.dataSource.getRepository(Engagement).createQueryBuilder('e');
    const scope = engagementScope(user);
    if (scope) query.andWhere(scope.sql, scope.params);
    return query;
  }

  private async enterprisesAt(engagementIds: string[]): Promise<Map<string, string[]>> {
    const rows = await this.dataSource
      .getRepository(EngagementEnterprise)
      .find({ where: { engagementId: In(engagementIds) }, order: { enterpriseId: 'ASC' } });
    const byEngagement = new Map<string, string[]>();
    for (const row of rows) byEngagement.set(row.engagementId, [...(byEngagement.get(row.engagementId) ?? []), row.enterpriseId]);
    return byEngagement;
  }
}
