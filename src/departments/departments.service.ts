import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ExpiringValue } from '../common/cache/expiring-value';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import type { Category } from '../tickets/categories';
import { User } from '../users/entities/user.entity';
import type { CreateDepartmentDto, DepartmentDto, UpdateDepartmentDto } from './dto/department.dto';
import { Department } from './entities/department.entity';

/** How soon another process sees a change of routing (the editing process sees it at once). */
const ROUTING_CACHE_MS = 30_000;

const toDto = ({ id, name, deputyLeaderId, categories }: Department): DepartmentDto => ({
  id,
  name,
  deputyLeaderId,
  categories,
});

@Injectable()
export class DepartmentsService {
  /** Category → owning department: read on every intake, edited rarely (see ExpiringValue). */
  private readonly routing: ExpiringValue<Map<Category, string>>;

  constructor(
    @InjectRepository(Department) private readonly departments: Repository<Department>,
    @InjectRepository(User) private readonly users: Repository<User>,
    clock: Clock,
  ) {
    this.routing = new ExpiringValue(clock, ROUTING_CACHE_MS);
  }

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
    this.routing.clear();
    return toDto(saved);
  }

  async update(id: string, input: UpdateDepartmentDto): Promise<DepartmentDto> {
    const department = await this.departments.findOneBy({ id });
    if (!department) throw new DomainError('not_found', `No department ${id}`);
    await this.checkInput(input, id);
    Object.assign(department, input);
    const saved = await this.departments.save(department);
    this.routing.clear();
    return toDto(saved);
  }

  /** The id of the department that owns a category by default, if any: what intake routes by. */
  async routeOf(category: Category): Promise<string | null> {
    const routing = await this.routing.get(async () => {
      const owners = await this.departments.find({ select: { id: true, categories: true } });
      return new Map(owners.flatMap((department) => department.categories.map((owned) => [owned, department.id] as const)));
    });
    return routing.get(category) ?? null;
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
