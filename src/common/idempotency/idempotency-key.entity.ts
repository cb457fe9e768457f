import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A POST remembered for 24 hours so a retry from a weak network replays its first answer. */
@Entity('idempotency_keys')
export class IdempotencyKey {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @PrimaryColumn({ type: 'text' })
  key: string;

  /** `POST /api/v1/tickets`: a key is bound to one route. */
  @Column({ type: 'text' })
  route: string;

  @Column({ type: 'text' })
  requestHash: string;

  /** Null while the first request is still running. */
  @Column({ type: 'integer', nullable: true })
  responseStatus: number | null;

  @Column({ type: 'jsonb', nullable: true })
  responseBody: unknown;

  /** Which claim holds the key: lets a claim whose answer was lost be released by itself alone. */
  @Column({ type: 'uuid', nullable: true })
  claimToken: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
