import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export interface EnterpriseContact {
  name: string;
  phone: string;
  role?: string;
}

@Entity('enterprises')
export class Enterprise {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** 统一社会信用代码: 18 characters with a check digit, unique. */
  @Column({ type: 'char', length: 18, unique: true })
  creditCode: string;

  @Column({ type: 'text', nullable: true })
  industry: string | null;

  @Column({ type: 'text', nullable: true })
  park: string | null;

  /** 重点企业: key enterprises are the ones paired with leaders. */
  @Column({ type: 'boolean', default: false })
  isKey: boolean;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  contacts: EnterpriseContact[];

  /** The mobile survey links go to by SMS: a mainland number, 11 digits. */
  @Column({ type: 'text', nullable: true })
  contactMobile: string | null;

  /** The liaison officer (领办员) assigned to follow this enterprise. */
  @Column({ type: 'uuid', nullable: true })
  liaisonOfficerId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
