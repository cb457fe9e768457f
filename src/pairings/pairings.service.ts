import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, IsNull, Repository } from 'typeorm';
import type { AuthUser } from '../auth/current-user';
import { localDate } from '../calendar/working-time';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import type { EnvironmentVariables } from '../config/env.validation';
import { Enterprise } from '../enterprises/entities/enterprise.entity';
import { toEnterpriseDto } from '../enterprises/enterprises.service';
import { isUniqueViolation } from '../common/errors/constraint-violation';
import { LEADER_ROLES, User } from '../users/entities/user.entity';
import type {
  CreatePairingDto,
  EndPairingDto,
  LeaderEnterpriseDto,
  PairingDto,
  PairingListQueryDto,
  PairingPageDto,
} from './dto/pairing.dto';
import { Pairing } from './entities/pairing.entity';

const ONE_ACTIVE_PER_ENTERPRISE = 'pairings_one_active_per_enterprise';

const toDto = (p: Pairing): PairingDto => ({
  id: p.id,
  leaderId: p.leaderId,
  enterpriseId: p.enterpriseId,
  startedOn: p.startedOn,
  endedOn: p.endedOn,
  endReason: p.endReason,
  createdBy: p.createdBy,
  createdAt: p.createdAt,
});

function invalidField(field: string, message: string): DomainError {
  return new DomainError('validation_failed', message, { errors: [{ field, message }] });
}

const alreadyPaired = (enterpriseId: string) =>
  new DomainError('enterprise_already_paired', `Enterprise ${enterpriseId} has an active paired leader; end that pairing first`);

@Injectable()
export class PairingsService {
  private readonly maxKeyEnterprises: number;

  constructor(
    @InjectRepository(Pairing) private readonly pairings: Repository<Pairing>,
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly clock: Clock,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.maxKeyEnterprises = config.get('PAIRING_MAX_KEY_ENTERPRISES', { infer: true });
  }

  async list(query: PairingListQueryDto): Promise<PairingPageDto> {
    const qb = this.pairings.createQueryBuilder('p');
    if (query.leaderId) qb.andWhere('p.leader_id = :leaderId', { leaderId: query.leaderId });
    if (query.enterpriseId) qb.andWhere('p.enterprise_id = :enterpriseId', { enterpriseId: query.enterpriseId });
    if (query.active !== undefined) qb.andWhere(query.active ? 'p.ended_on IS NULL' : 'p.ended_on IS NOT NULL');
    if (query.at) qb.andWhere('p.started_on <= :at AND (p.ended_on IS NULL OR p.ended_on > :at)', { at: query.at });
    const [rows, total] = await qb
      .orderBy('p.started_on', 'DESC')
      .addOrderBy('p.created_at', 'DESC')
      .addOrderBy('p.id', 'ASC')
      .limit(query.limit)
      .offset(query.offset)
      .getManyAndCount();
    return { items: rows.map(toDto), total };
  }

  async create(input: CreatePairingDto, user: AuthUser): Promise<PairingDto> {
    const today = localDate(this.clock.now());
    const startedOn = input.startedOn ?? today;
    if (startedOn > today) throw invalidField('startedOn', `startedOn cannot be after today (${today})`);
    try {
      const pairing = await this.pairings.manager.transaction(async (em) => {
        await this.lockLeader(em, input.leaderId);
        const enterprise = await em.findOneBy(Enterprise, { id: input.enterpriseId });
        if (!enterprise) throw invalidField('enterpriseId', 'enterpriseId must be an existing enterprise');
        await this.checkEnterpriseFree(em, enterprise.id, startedOn);
        if (enterprise.isKey) await this.checkKeyLimit(em, input.leaderId);
        return em.save(
          em.create(Pairing, { leaderId: input.leaderId, enterpriseId: enterprise.id, startedOn, createdBy: user.id }),
        );
      });
      return toDto(pairing);
    } catch (error) {
      // Two leaders paired with one enterprise at the same moment: the partial unique index decides.
      if (isUniqueViolation(error, ONE_ACTIVE_PER_ENTERPRISE)) throw alreadyPaired(input.enterpriseId);
      throw error;
    }
  }

  async end(id: string, input: EndPairingDto): Promise<PairingDto> {
    const pairing = await this.pairings.findOneBy({ id });
    if (!pairing) throw new DomainError('not_found', `No pairing ${id}`);
    if (pairing.endedOn) throw new DomainError('conflict', `The pairing already ended on ${pairing.endedOn}`);
    const today = localDate(this.clock.now());
    if (input.endedOn < pairing.startedOn || input.endedOn > today) {
      throw invalidField('endedOn', `endedOn must be between ${pairing.startedOn} (the start) and ${today} (today)`);
    }
    const changes = { endedOn: input.endedOn, endReason: input.reason ?? null };
    // Only an active pairing is ended; a concurrent end that got there first wins.
    const result = await this.pairings.update({ id, endedOn: IsNull() }, changes);
    if (!result.affected) throw new DomainError('conflict', 'The pairing was ended meanwhile');
    return toDto(Object.assign(pairing, changes));
  }

  /** A leader's active pairings, each with when its enterprise was last met in an engagement. */
  async leaderEnterprises(leaderId: string): Promise<LeaderEnterpriseDto[]> {
    const leader = await this.users.findOneBy({ id: leaderId });
    if (!leader || !LEADER_ROLES.includes(leader.role)) throw new DomainError('not_found', `No leader ${leaderId}`);
    const { entities, raw } = await this.pairings.manager
      .createQueryBuilder(Enterprise, 'e')
      .innerJoin(Pairing, 'p', 'p.enterprise_id = e.id AND p.leader_id = :leaderId AND p.ended_on IS NULL', { leaderId })
      .addSelect('p.id', 'pairing_id')
      .addSelect('p.started_on::text', 'paired_since')
      .addSelect(
        '(SELECT max(ee.occurred_at) FROM engagement_enterprises ee WHERE ee.enterprise_id = e.id)',
        'last_engagement_at',
      )
      .orderBy('e.name', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .getRawAndEntities<{ e_id: string; pairing_id: string; paired_since: string; last_engagement_at: Date | null }>();
    const rowById = new Map(raw.map((row) => [row.e_id, row]));
    return entities.map((enterprise) => {
      const row = rowById.get(enterprise.id)!;
      return {
        pairingId: row.pairing_id,
        pairedSince: row.paired_since,
        enterprise: toEnterpriseDto(enterprise),
        lastEngagementAt: row.last_engagement_at,
      };
    });
  }

  /**
   * Locks the leader's users row for the transaction, so two pairings for one leader are
   * counted one after the other and the key-enterprise limit cannot be overshot by a race.
   */
  private async lockLeader(em: EntityManager, leaderId: string): Promise<void> {
    const leader = await em
      .createQueryBuilder(User, 'u')
      .setLock('pessimistic_write')
      .where('u.id = :leaderId', { leaderId })
      .getOne();
    if (!leader?.active || !LEADER_ROLES.includes(leader.role)) {
      throw invalidField('leaderId', 'leaderId must be an active deputy or principal leader');
    }
  }

  /** No active pairing, and no overlap with the history: a new one starts on or after the last end. */
  private async checkEnterpriseFree(em: EntityManager, enterpriseId: string, startedOn: string): Promise<void> {
    const history = await em
      .createQueryBuilder(Pairing, 'p')
      .select('bool_or(p.ended_on IS NULL)', 'active')
      .addSelect('max(p.ended_on)::text', 'last_end')
      .where('p.enterprise_id = :enterpriseId', { enterpriseId })
      .getRawOne<{ active: boolean | null; last_end: string | null }>();
    if (history?.active) throw alreadyPaired(enterpriseId);
    if (history?.last_end && startedOn < history.last_end) {
      throw invalidField('startedOn', `startedOn cannot be before ${history.last_end}, when the previous pairing ended`);
    }
  }

  private async checkKeyLimit(em: EntityManager, leaderId: string): Promise<void> {
    const held = await em
      .createQueryBuilder(Pairing, 'p')
      .innerJoin(Enterprise, 'e', 'e.id = p.enterprise_id')
      .where('p.leader_id = :leaderId AND p.ended_on IS NULL AND e.is_key', { leaderId })
      .getCount();
    if (held >= this.maxKeyEnterprises) {
      throw new DomainError(
        'pairing_limit_reached',
        `The leader already holds ${held} key enterprises; at most ${this.maxKeyEnterprises} are allowed`,
        { limit: this.maxKeyEnterprises },
      );
    }
  }
}
