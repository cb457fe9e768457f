import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { DomainError } from '../common/errors/domain-error';
import type { EnvironmentVariables } from '../config/env.validation';
import {
  type CreateWebhookDto,
  type DeliveryDto,
  type DeliveryPageDto,
  type ListDeliveriesQueryDto,
  toDeliveryDto,
  toWebhookDto,
  type UpdateWebhookDto,
  type WebhookDto,
} from './dto/webhook.dto';
import { Webhook } from './entities/webhook.entity';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { newestFirst } from './newest-first';
import { WebhookOutbox } from './webhook-outbox.service';
import { type TargetPolicy, urlRefusal, webhookTargetPolicy } from './webhook-target';

/** Managing webhooks and reading their deliveries. Deleted webhooks are gone from the API, not from the database. */
@Injectable()
export class WebhooksService {
  private readonly policy: TargetPolicy;

  constructor(
    @InjectRepository(Webhook) private readonly webhooks: Repository<Webhook>,
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    private readonly outbox: WebhookOutbox,
    config: ConfigService<EnvironmentVariables, true>,
  ) {
    this.policy = webhookTargetPolicy(config);
  }

  /** Refuses a URL that targets an address no webhook may reach (names are checked again at delivery). */
  private assertTargetAllowed(url: string | undefined): void {
    const refusal = url === undefined ? null : urlRefusal(url, this.policy);
    if (refusal) {
      const message = `url is not allowed: ${refusal}`;
      throw new DomainError('validation_failed', message, { errors: [{ field: 'url', message }] });
    }
  }

  async create(input: CreateWebhookDto, createdBy: string): Promise<WebhookDto> {
    this.assertTargetAllowed(input.url);
    const saved = await this.webhooks.save(
      this.webhooks.create({
        url: input.url,
        events: input.events,
        secret: input.secret,
        description: input.description ?? null,
        createdBy,
      }),
    );
    return this.get(saved.id);
  }

  async list(): Promise<WebhookDto[]> {
    return (await this.webhooks.find({ order: { createdAt: 'ASC' } })).map(toWebhookDto);
  }

  async get(id: string): Promise<WebhookDto> {
    return toWebhookDto(await this.find(id));
  }

  async update(id: string, input: UpdateWebhookDto): Promise<WebhookDto> {
    this.assertTargetAllowed(input.url);
    await this.find(id);
    if (Object.keys(input).length > 0) await this.webhooks.update({ id }, input);
    return this.get(id);
  }

  /** Its pending deliveries fail when their turn comes; delivered and failed ones stay in the database. */
  async remove(id: string): Promise<void> {
    await this.find(id);
    await this.webhooks.softDelete({ id });
  }

  async listDeliveries(webhookId: string, query: ListDeliveriesQueryDto): Promise<DeliveryPageDto> {
    await this.find(webhookId);
    const rows = this.deliveries.createQueryBuilder('d').where('d.webhookId = :webhookId', { webhookId });
    if (query.status) rows.andWhere('d.status = :status', { status: query.status });
    const page = await newestFirst(rows, 'd', query);
    return { items: page.items.map(toDeliveryDto), nextCursor: page.nextCursor };
  }

  /** Sends a delivered or failed delivery again, with the same id and body (receivers dedupe on the id). */
  async redeliver(deliveryId: string): Promise<DeliveryDto> {
    const delivery = await this.deliveries.findOneBy({ id: deliveryId });
    if (!delivery) throw new DomainError('not_found', `No delivery ${deliveryId}`);
    const webhook = await this.find(delivery.webhookId);
    if (!webhook.active) throw new DomainError('conflict', 'The webhook is paused; activate it first');
    const result = await this.deliveries
      .createQueryBuilder()
      .update()
      .set({ status: 'pending', deliveredAt: null })
      .where('id = :deliveryId AND status <> :pending', { deliveryId, pending: 'pending' })
      .execute();
    if (result.affected === 0) throw new DomainError('conflict', 'The delivery is still pending');
    // Read before waking the sender: afterwards a fast worker may already have delivered it, and
    // the answer is what was accepted (pending), not a race with the worker.
    const accepted = toDeliveryDto(await this.deliveries.findOneByOrFail({ id: deliveryId }));
    await this.outbox.enqueue([deliveryId]);
    return accepted;
  }

  private async find(id: string): Promise<Webhook> {
    const webhook = await this.webhooks.findOneBy({ id });
    if (!webhook) throw new DomainError('not_found', `No webhook ${id}`);
    return webhook;
  }
}
