import { Tag } from 'antd';
import { TIER_LABELS } from '../lib/labels';

const TIER_COLORS: Record<1 | 2 | 3, string> = { 1: 'blue', 2: 'orange', 3: 'red' };

/** 一级/二级/三级: who holds the demand under the 1-2-3 rule. */
export function TierTag({ tier }: { tier: 1 | 2 | 3 }) {
  return (
    <Tag color={TIER_COLORS[tier]} className="tier-tag" data-tier={tier}>
      {TIER_LABELS[tier]}
    </Tag>
  );
}
