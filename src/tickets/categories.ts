/** Demand categories from the seeds (用地, 用电, 用水, 用气, 融资, 用工, 审批, 政策兑现, 知识产权, 基础设施, 进出口, 人才/公寓, 其他). */
export const CATEGORIES = [
  'land',
  'power',
  'water',
  'gas',
  'financing',
  'labor',
  'permits',
  'policy_payout',
  'intellectual_property',
  'infrastructure',
  'foreign_trade',
  'talent_housing',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];
