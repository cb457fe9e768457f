import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { DataSource, Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import type { EnvironmentVariables } from '../config/env.validation';
import type { ListDeliveriesQueryDto } from '../notifications/dto/webhook.dto';
import { newestFirst } from '../notifications/newest-first';
import { type TargetPolicy, webhookTargetPolicy } from '../notifications/webhook-target';
import {
  type CreateRobotChannelDto,
  type CreateRobotRuleDto,
  type RobotChannelDto,
  type RobotDeliveryPageDto,
  type RobotRuleDto,
  toRobotDeliveryDto,
  toRobotRuleDto,
  type UpdateRobotChannelDto,
  type UpdateRobotRuleDto,
} from './dto/robot.dto';
import { RobotChannel } from './entities/robot-channel.entity';
import { RobotDelivery } from './entities/robot-delivery.entity';
import { RobotRule } from './entities/robot-rule.entity';
import { PLATFORM_RULES } from './robot-platforms';
import { maskedRobotUrl, robotUrlRefusal } from './robot-target';

const invalid = (field: string, message: string) => new DomainError('validation_failed', message, { errors: [{ field, message }] });

/** Channels, routing rules and their deliveries, for managers and admins. Deleted ones are gone from the API, not from the database. */
@Injectable()
export class RobotsService {
  private readonly policy: TargetPolicy;

  constructor(
    @InjectRepository(RobotChannel) private readonly channels: Repository<RobotChannel>,
    @InjectRepository(RobotRule) private readonly rules: Repository<RobotRule>,
    @InjectRepository(RobotDelivery) private readonly deliveries: Repository<RobotDelivery>,
    @InjectDataSource() private readonly dataSource: DataSource,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.policy = webhookTargetPolicy(config);
  }

  async createChannel(input: CreateRobotChannelDto, createdBy: string): Promise<RobotChannelDto> {
    this.assertChannel(input.platform, input.webhookUrl, input.secret);
    const saved = await this.channels.save(
      this.channels.create({ name: input.name, platform: input.platform, webhookUrl: input.webhookUrl, secret: input.secret ?? null, createdBy }),
    );
    return this.getChannel(saved.id);
  }

  async listChannels(): Promise<RobotChannelDto[]> {
    return (await this.withCredentials().orderBy('c.created_at', 'ASC').getMany()).map((c) => this.toChannelDto(c));
  }

  async getChannel(id: string): Promise<RobotChannelDto> {
    return this.toChannelDto(await this.findChannel(id));
  }

  async updateChannel(id: string, input: UpdateRobotChannelDto): Promise<RobotChannelDto> {
    const channel = await this.findChannel(id);
    this.assertChannel(channel.platform, input.webhookUrl ?? channel.webhookUrl, input.secret === undefined ? channel.secret ?? undefined : input.secret);
    if (Object.keys(input).length > 0) await this.channels.update({ id }, input);
    return this.getChannel(id);
  }

  async removeChannel(id: string): Promise<void> {
    await this.findChannel(id);
    // Its rules go with it: they could never deliver again.
    await this.dataSource.transaction(async (manager) => {
      await manager.softDelete(RobotRule, { channelId: id });
      await manager.softDelete(RobotChannel, { id });
    });
  }

  async listDeliveries(channelId: string, query: ListDeliveriesQueryDto): Promise<RobotDeliveryPageDto> {
    await this.findChannel(channelId);
    const rows = this.deliveries.createQueryBuilder('d').where('d.channelId = :channelId', { channelId });
    if (query.status) rows.andWhere('d.status = :status', { status: query.status });
    const page = await newestFirst(rows, 'd', query);
    return { items: page.items.map(toRobotDeliveryDto), nextCursor: page.nextCursor };
  }

  async createRule(input: CreateRobotRuleDto, createdBy: string): Promise<RobotRuleDto> {
    await this.findChannel(input.channelId, 'channelId');
    await this.assertDepartment(input.departmentId);
    const saved = await this.rules.save(
      this.rules.create({
        channelId: input.channelId,
        events: input.events,
        departmentId: input.departmentId ?? null,
        mentionOwners: input.mentionOwners ?? false,
        description: input.description ?? null,
        createdBy,
      }),
    );
    return this.getRule(saved.id);
  }

  async listRules(): Promise<RobotRuleDto[]> {
    return (await this.rules.find({ order: { createdAt: 'ASC' } })).map(toRobotRuleDto);
  }

  async getRule(id: string): Promise<RobotRuleDto> {
    return toRobotRuleDto(await this.findRule(id));
  }

  async updateRule(id: string, input: UpdateRobotRuleDto): Promise<RobotRuleDto> {
    await this.findRule(id);
    await this.assertDepartment(input.departmentId);
    if (Object.keys(input).length > 0) await this.rules.update({ id }, input);
    return this.getRule(id);
  }

  async removeRule(id: string): Promise<void> {
    await this.findRule(id);
    await this.rules.softDelete({ id });
  }

  /** The official host and path, and a secret exactly where the platform signs. */
  private assertChannel(platform: CreateRobotChannelDto['platform'], webhookUrl: string, secret: string | undefined | null): void {
    const refusal = robotUrlRefusal(platform, webhookUrl, this.policy);
    if (refusal) throw invalid('webhookUrl', `webhookUrl is not allowed: ${refusal}`);
    const signed = PLATFORM_RULES[platform].signed;
    if (signed && !secret) throw invalid('secret', `secret is required for ${platform}: turn on its signature (加签/签名校验) and paste the secret`);
    if (!signed && secret) throw invalid('secret', 'secret must be left out for wecom: its key in the URL is the only credential');
  }

  private async assertDepartment(departmentId: string | null | undefined): Promise<void> {
    if (!departmentId) return;
    const [row] = await this.dataSource.query(`SELECT 1 FROM departments WHERE id = $1`, [departmentId]);
    if (!row) throw invalid('departmentId', `No department ${departmentId}`);
  }

  private withCredentials() {
    return this.channels.createQueryBuilder('c').addSelect(['c.webhookUrl', 'c.secret']);
  }

  private async findChannel(id: string, field?: string): Promise<RobotChannel> {
    const channel = await this.withCredentials().where('c.id = :id', { id }).getOne();
    if (!channel) throw field ? invalid(field, `No robot channel ${id}`) : new DomainError('not_found', `No robot channel ${id}`);
    return channel;
  }

  private async findRule(id: string): Promise<RobotRule> {
    const rule = await this.rules.findOneBy({ id });
    if (!rule) throw new DomainError('not_found', `No robot rule ${id}`);
    return rule;
  }

  private toChannelDto(c: RobotChannel): RobotChannelDto {
    return {
      id: c.id,
      name: c.name,
      platform: c.platform,
      webhookUrl: maskedRobotUrl(c.platform, c.webhookUrl),
      hasSecret: c.secret !== null,
      active: c.active,
      createdBy: c.createdBy,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    };
  }
}
