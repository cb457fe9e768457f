import { Tag } from 'antd';
import { TIER_LABELS } from '../lib/labels';

/** Solid blue, orange, red with white text: dark enough for AA contrast, told apart at a glance. */
const TIER_COLORS: Record<1 | 2 | 3, string> = { 1: '#1f5fae', 2: '#b35200', 3: '#a8071a' };

/** 一级/二级/三级: who holds the demand under the 1-2-3 rule. */
export function TierTag({ tier }: { tier: 1 | 2 | 3 }) {
  return (
    <Tag color={TIER_COLORS[tier]} className="tier-tag" data-tier={tier}>
      {TIER_LABELS[tier]}
    </Tag>
  );
}
