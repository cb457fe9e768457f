import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Not, Repository } from 'typeorm';
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

export const toEnterpriseDto = (e: Enterprise): EnterpriseDto => ({
  id: e.id,
  name: e.name,
  creditCode: e.creditCode,
  industry: e.industry,
  park: e.park,
  isKey: e.isKey,
  contacts: e.contacts,
  liaisonOfficerId: e.liaisonOfficerId,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
});

const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

@Injectable()
export class EnterprisesService {
  constructor(
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

  async create(input: CreateEnterpriseDto): Promise<EnterpriseDto> {
    await this.checkInput(input);
    const enterprise = this.enterprises.create({
      name: input.name,
      creditCode: input.creditCode,
      industry: input.industry ?? null,
      park: input.park ?? null,
      isKey: input.isKey ?? false,
      contacts: input.contacts ?? [],
      liaisonOfficerId: input.liaisonOfficerId ?? null,
    });
    return toEnterpriseDto(await this.save(enterprise));
  }

  async update(id: string, input: UpdateEnterpriseDto): Promise<EnterpriseDto> {
    const enterprise = await this.find(id);
    await this.checkInput(input, id);
    const changes = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
    return toEnterpriseDto(await this.save(Object.assign(enterprise, changes)));
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
  private async save(enterprise: Enterprise): Promise<Enterprise> {
    try {
      return await this.enterprises.save(enterprise);
    } catch (error) {
      if (isUniqueViolation(error, 'enterprises_credit_code_key')) throw this.duplicate(enterprise.creditCode);
      throw error;
    }
  }

  private duplicate(creditCode: string): DomainError {
    return new DomainError('duplicate', `An enterprise with credit code ${creditCode} exists`);
  }
}
