import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Category } from '../../tickets/categories';

@Entity('departments')
export class Department {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text', unique: true })
  name: string;

  /** 分管领导: the deputy leader in charge, who receives this department's tier-2 escalations. */
  @Column({ type: 'uuid', nullable: true })
  deputyLeaderId: string | null;

  /** Categories routed to this department when a demand names none. A category has at most one owner. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  categories: Category[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
