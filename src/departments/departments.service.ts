import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import type { Category } from '../tickets/categories';
import { User } from '../users/entities/user.entity';
import type { CreateDepartmentDto, DepartmentDto, UpdateDepartmentDto } from './dto/department.dto';
import { Department } from './entities/department.entity';

const toDto = ({ id, name, deputyLeaderId, categories }: Department): DepartmentDto => ({
  id,
  name,
  deputyLeaderId,
  categories,
});

@Injectable()
export class DepartmentsService {
  constructor(
    @InjectRepository(Department) private readonly departments: Repository<Department>,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  async list(): Promise<DepartmentDto[]> {
    return (await this.departments.find({ order: { name: 'ASC' } })).map(toDto);
  }

  async get(id: string): Promise<DepartmentDto> {
    const department = await this.departments.findOneBy({ id });
    if (!department) throw new DomainError('not_found', `No department ${id}`);
    return toDto(department);
  }

  async create(input: CreateDepartmentDto): Promise<DepartmentDto> {
    await this.checkInput(input);
    if (await this.departments.existsBy({ name: input.name })) {
      throw new DomainError('duplicate', `A department named ${input.name} exists`);
    }
    const saved = await this.departments.save(
      this.departments.create({
        name: input.name,
        deputyLeaderId: input.deputyLeaderId ?? null,
        categories: input.categories ?? [],
      }),
    );
    return toDto(saved);
  }

  async update(id: string, input: UpdateDepartmentDto): Promise<DepartmentDto> {
    const department = await this.departments.findOneBy({ id });
    if (!department) throw new DomainError('not_found', `No department ${id}`);
    await this.checkInput(input, id);
    Object.assign(department, input);
    return toDto(await this.departments.save(department));
  }

  /** The department that owns a category by default, if any. */
  async ownerOf(category: Category): Promise<Department | null> {
    return this.departments
      .createQueryBuilder('d')
      .where(':category = ANY(d.categories)', { category })
      .getOne();
  }

  private async checkInput(input: UpdateDepartmentDto, selfId?: string): Promise<void> {
    if (input.deputyLeaderId) {
      const leader = await this.users.findOneBy({ id: input.deputyLeaderId, active: true });
      if (!leader || leader.role !== 'deputy_leader') {
        throw new DomainError('validation_failed', 'deputyLeaderId must be an active deputy leader', {
          errors: [{ field: 'deputyLeaderId', message: 'deputyLeaderId must be an active deputy leader' }],
        });
      }
    }
    for (const category of input.categories ?? []) {
      const owner = await this.ownerOf(category);
      if (owner && owner.id !== selfId) {
        throw new DomainError('conflict', `Category ${category} is already routed to ${owner.name}`);
      }
    }
  }
}
