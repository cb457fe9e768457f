import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, IsNull, Repository } from 'typeorm';
import { ExpiringValue } from '../common/cache/expiring-value';
import { Clock } from '../common/clock';
import { DomainError, type FieldError } from '../common/errors/domain-error';
import type { Category } from '../tickets/categories';
import type { CreateSlaPolicyDto, SlaPolicyDto, UpdateSlaPolicyDto } from './dto/sla-policy.dto';
import { type SlaCounting, type SlaMode, SlaPolicy } from './entities/sla-policy.entity';
import { durationMs, MAX_WORKING_DAYS } from './sla-clock';

/** How soon another process sees a policy edit (the editing process sees it at once). */
const POLICY_CACHE_MS = 30_000;

const toDto = ({ id, name, category, mode, budgets, warnRatio, tier2Owner, reminderInterval, counting }: SlaPolicy): SlaPolicyDto => ({
  id,
  name,
  category,
  mode,
  budgets,
  warnRatio,
  tier2Owner,
  reminderInterval,
  counting,
});

/** Legal counting for working days, as the zone counts; drills (durations) count elapsed time. */
const defaultCounting = (mode: SlaMode): SlaCounting => (mode === 'working_days' ? 'legal' : 'elapsed');

/** Budgets must grow tier by tier: a later tier cannot end before an earlier one. */
function budgetErrors({ mode, budgets, reminderInterval: reminder, counting }: SlaPolicy): FieldError[] {
  const errors: FieldError[] = [];
  if (counting === 'legal' && mode !== 'working_days') {
    errors.push({ field: 'counting', message: 'counting legal needs mode working_days (durations count elapsed time)' });
  }
  const asMs = budgets.map((budget, i) => {
    try {
      if (mode === 'working_days') {
        if (typeof budget !== 'number' || !(budget > 0) || budget > MAX_WORKING_DAYS) throw new RangeError();
        if (counting === 'legal' && !Number.isInteger(budget)) throw new RangeError();
        return budget;
      }
      if (typeof budget !== 'string') throw new RangeError();
      return durationMs(budget);
    } catch {
      const message =
        mode === 'working_days'
          ? `budgets.${i} must be a number of working days between 0 and ${MAX_WORKING_DAYS}${counting === 'legal' ? ', whole with legal counting' : ''}`
          : `budgets.${i} must be an ISO 8601 duration such as PT30S, at most 366 days`;
      errors.push({ field: `budgets.${i}`, message });
      return NaN;
    }
  });
  if (errors.length === 0 && !(asMs[0] > 0 && asMs[0] < asMs[1] && asMs[1] < asMs[2])) {
    errors.push({ field: 'budgets', message: 'budgets must be positive and strictly increasing (tier 1 < 2 < 3)' });
  }
  if (reminder !== null) {
    try {
      if (durationMs(reminder) < 1000) throw new RangeError();
    } catch {
      errors.push({ field: 'reminderInterval', message: 'reminderInterval must be an ISO 8601 duration of 1 second to 366 days' });
    }
  }
  return errors;
}

@Injectable()
export class SlaPoliciesService {
  /** Every policy: read on every intake, edited rarely (see ExpiringValue). */
  private readonly cached: ExpiringValue<SlaPolicy[]>;

  constructor(
    @InjectRepository(SlaPolicy) private readonly policies: Repository<SlaPolicy>,
    clock: Clock,
  ) {
    this.cached = new ExpiringValue(clock, POLICY_CACHE_MS);
  }

  async list(): Promise<SlaPolicyDto[]> {
    return (await this.policies.find({ order: { category: { direction: 'ASC', nulls: 'FIRST' } } })).map(toDto);
  }

  async get(id: string): Promise<SlaPolicyDto> {
    return toDto(await this.find(id));
  }

  /** The policy for a category, else the default one. */
  async forCategory(category: Category, manager?: EntityManager): Promise<SlaPolicy> {
    const policies = await this.cached.get(() => (manager?.getRepository(SlaPolicy) ?? this.policies).find());
    const policy = policies.find((p) => p.category === category) ?? policies.find((p) => p.category === null);
    if (!policy) throw new DomainError('conflict', 'No default SLA policy exists; create one with category null');
    return policy;
  }

  async create(input: CreateSlaPolicyDto): Promise<SlaPolicyDto> {
    const policy = this.policies.create({
      name: input.name,
      category: input.category ?? null,
      mode: input.mode,
      budgets: input.budgets,
      warnRatio: input.warnRatio ?? 0.75,
      tier2Owner: input.tier2Owner ?? 'deputy_leader',
      reminderInterval: input.reminderInterval ?? null,
      counting: input.counting ?? defaultCounting(input.mode),
    });
    await this.check(policy);
    const saved = await this.policies.save(policy);
    this.cached.clear();
    return toDto(saved);
  }

  /** Running clocks keep the policy they copied at intake; only new tickets see the change. */
  async update(id: string, input: UpdateSlaPolicyDto): Promise<SlaPolicyDto> {
    const policy = await this.find(id);
    // A change of mode without a counting takes the new mode's default (a drill stays elapsed).
    const counting = input.counting ?? (input.mode && input.mode !== policy.mode ? defaultCounting(input.mode) : policy.counting);
    Object.assign(policy, input, { counting });
    await this.check(policy);
    const saved = await this.policies.save(policy);
    this.cached.clear();
    return toDto(saved);
  }

  async remove(id: string): Promise<void> {
    const policy = await this.find(id);
    if (policy.category === null) throw new DomainError('conflict', 'The default policy cannot be deleted; edit it instead');
    await this.policies.delete({ id });
    this.cached.clear();
  }

  private async find(id: string): Promise<SlaPolicy> {
    const policy = await this.policies.findOneBy({ id });
    if (!policy) throw new DomainError('not_found', `No SLA policy ${id}`);
    return policy;
  }

  private async check(policy: SlaPolicy): Promise<void> {
    const errors = budgetErrors(policy);
    if (errors.length > 0) {
      throw new DomainError('validation_failed', errors.map((e) => e.message).join('; '), { errors });
    }
    const clash = await this.policies.findOneBy({ category: policy.category ?? IsNull() });
    if (clash && clash.id !== policy.id) {
      throw new DomainError('duplicate', `A policy for ${policy.category ?? 'the default'} exists already: ${clash.name}`);
    }
  }
}
