import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, DataSource, Not, Repository } from 'typeorm';
import type { AuthUser } from '../auth/current-user';
import { DomainError } from '../common/errors/domain-error';
import { User } from '../users/entities/user.entity';
import type {
  CreateEnterpriseDto,
  EnterpriseDto,
  EnterpriseListQueryDto,
  EnterprisePageDto,
  UpdateEnterpriseDto,
} from './dto/enterprise.dto';
import { Enterprise } from './entities/enterprise.entity';
import { isUniqueViolation } from '../common/errors/constraint-violation';
import { enterpriseEditScope, mayAssignLiaisonOfficer } from './enterprise-scope';

export const toEnterpriseDto = (e: Enterprise): EnterpriseDto => ({
  id: e.id,
  name: e.name,
  creditCode: e.creditCode,
  industry: e.industry,
  park: e.park,
  isKey: e.isKey,
  contacts: e.contacts,
  contactMobile: e.contactMobile,
  liaisonOfficerId: e.liaisonOfficerId,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
});

const reassignForbidden = () =>
  new DomainError('forbidden', 'Only managers and admins assign an enterprise to a liaison officer other than yourself');

const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

@Injectable()
export class EnterprisesService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Enterprise) private readonly enterprises: Repository<Enterprise>,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  async list(query: EnterpriseListQueryDto): Promise<EnterprisePageDto> {
    const qb = this.enterprises.createQueryBuilder('e');
    if (query.q) {
      const q = escapeLike(query.q);
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('lower(e.name) LIKE :name', { name: `%${q.toLowerCase()}%` })
            .orWhere('e.credit_code LIKE :code', { code: `${q.toUpperCase()}%` }),
        ),
      );
    }
    if (query.isKey !== undefined) qb.andWhere('e.is_key = :isKey', { isKey: query.isKey });
    if (query.park) qb.andWhere('e.park = :park', { park: query.park });
    if (query.industry) qb.andWhere('e.industry = :industry', { industry: query.industry });
    if (query.liaisonOfficerId) qb.andWhere('e.liaison_officer_id = :lo', { lo: query.liaisonOfficerId });
    const [rows, total] = await qb
      .orderBy('e.name', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .limit(query.limit)
      .offset(query.offset)
      .getManyAndCount();
    return { items: rows.map(toEnterpriseDto), total };
  }

  async get(id: string): Promise<EnterpriseDto> {
    return toEnterpriseDto(await this.find(id));
  }

  async create(user: AuthUser, input: CreateEnterpriseDto): Promise<EnterpriseDto> {
    if (!mayAssignLiaisonOfficer(user, input.liaisonOfficerId)) throw reassignForbidden();
    await this.checkInput(input);
    const enterprise = this.enterprises.create({
      name: input.name,
      creditCode: input.creditCode,
      industry: input.industry ?? null,
      park: input.park ?? null,
      isKey: input.isKey ?? false,
      contacts: input.contacts ?? [],
      contactMobile: input.contactMobile ?? null,
      liaisonOfficerId: input.liaisonOfficerId ?? null,
    });
    return toEnterpriseDto(await this.save(this.enterprises, enterprise));
  }

  /**
   * The enterprise is read under a row lock through the caller's edit scope, so the check and
   * the write see the same follower: an enterprise the caller may not edit is never written.
   */
  async update(user: AuthUser, id: string, input: UpdateEnterpriseDto): Promise<EnterpriseDto> {
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(Enterprise);
      const query = repository.createQueryBuilder('e').where('e.id = :id', { id }).setLock('pessimistic_write');
      const scope = enterpriseEditScope(user);
      if (scope) query.andWhere(scope.sql, scope.params);
      const enterprise = await query.getOne();
      if (!enterprise) {
        // Enterprises are public to every signed-in user, so saying it exists gives nothing away.
        if (await repository.existsBy({ id })) throw new DomainError('forbidden', 'You may edit only the enterprises you follow');
        throw new DomainError('not_found', `No enterprise ${id}`);
      }
      if (!mayAssignLiaisonOfficer(user, input.liaisonOfficerId, enterprise)) throw reassignForbidden();
      await this.checkInput(input, id);
      const changes = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
      return toEnterpriseDto(await this.save(repository, Object.assign(enterprise, changes)));
    });
  }

  private async find(id: string): Promise<Enterprise> {
    const enterprise = await this.enterprises.findOneBy({ id });
    if (!enterprise) throw new DomainError('not_found', `No enterprise ${id}`);
    return enterprise;
  }

  private async checkInput(input: UpdateEnterpriseDto, selfId?: string): Promise<void> {
    if (input.liaisonOfficerId) {
      const officer = await this.users.findOneBy({ id: input.liaisonOfficerId, active: true });
      if (officer?.role !== 'liaison_officer') {
        const message = 'liaisonOfficerId must be an active liaison officer';
        throw new DomainError('validation_failed', message, { errors: [{ field: 'liaisonOfficerId', message }] });
      }
    }
    if (input.creditCode) {
      const taken = await this.enterprises.existsBy({
        creditCode: input.creditCode,
        ...(selfId ? { id: Not(selfId) } : {}),
      });
      if (taken) throw this.duplicate(input.creditCode);
    }
  }

  /** The pre-check above gives the usual answer; the unique constraint catches a concurrent twin. */
  private async save(repository: Repository<Enterprise>, enterprise: Enterprise): Promise<Enterprise> {
    try {
      return await repository.save(enterprise);
    } catch (error) {
      if (isUniqueViolation(error, 'enterprises_credit_code_key')) throw this.duplicate(enterprise.creditCode);
      throw error;
    }
  }

  private duplicate(creditCode: string): DomainError {
    return new DomainError('duplicate', `An enterprise with credit code ${creditCode} exists`);
  }
}
