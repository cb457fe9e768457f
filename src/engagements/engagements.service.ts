import { Injectable } from '@nestjs/common';
import { DataSource, In, type SelectQueryBuilder } from 'typeorm';
import type { AuthUser } from '../auth/current-user';
import { DomainError, type FieldError } from '../common/errors/domain-error';
import type { DemandDto } from '../tickets/dto/ticket.dto';
import { toTicketDto } from '../tickets/dto/ticket.dto';
import { DEFAULT_PAGE_SIZE, keysetPage, type Page } from '../common/pagination/keyset';
import { assertExisting } from '../tickets/references';
import { TicketIntakeService } from '../tickets/ticket-intake.service';
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
    throw new DomainError('validation_failed', errors.map((e) => e.message).join('; '), { errors });
  }
}

@Injectable()
export class EngagementsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly intake: TicketIntakeService,
    private readonly tickets: TicketsService,
  ) {}

  /** The engagement, who was there and every demand raised: one transaction, all or nothing. */
  async create(user: AuthUser, input: CreateEngagementDto): Promise<EngagementDetailDto> {
    const demands = input.demands ?? [];
    assertDemandsFromPresent(input.enterpriseIds, demands);
    const routed = await Promise.all(demands.map((demand) => this.intake.route(demand)));
    return this.dataSource.transaction(async (manager) => {
      await assertExisting(manager, 'enterprise', input.enterpriseIds, 'enterpriseIds');
      await assertExisting(manager, 'user', input.officialIds ?? [], 'officialIds');
      const engagements = manager.getRepository(Engagement);
      const engagement = await engagements.save(
        engagements.create({
          type: input.type,
          occurredAt: new Date(input.occurredAt),
          place: input.place ?? null,
          officialIds: input.officialIds ?? [],
          notes: input.notes ?? null,
          createdBy: user.id,
        }),
      );
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
          { ...demand, channel: input.type, engagementId: engagement.id },
          `demands.${i}.`,
        );
        tickets.push(toTicketDto(ticket));
      }
      // Ordered as a read returns them.
      const enterpriseIds = input.enterpriseIds.map((id) => id.toLowerCase()).sort();
      return { ...toDto(engagement, enterpriseIds), tickets };
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
