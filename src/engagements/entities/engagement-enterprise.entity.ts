import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An enterprise present at an engagement; `occurredAt` is copied so "last visit" reads one index. */
@Entity('engagement_enterprises')
export class EngagementEnterprise {
  @PrimaryColumn({ type: 'uuid' })
  engagementId: string;

  @PrimaryColumn({ type: 'uuid' })
  enterpriseId: string;

  @Column({ type: 'timestamptz' })
  occurredAt: Date;
}
