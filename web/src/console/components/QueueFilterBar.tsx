import { Input, Select } from 'antd';
import { useState } from 'react';
import { useDepartments, useEnterpriseSearch } from '../api/queries';
import { CATEGORY_LABELS, STATUS_LABELS, TIER_LABELS } from '../lib/labels';
import type { QueueFilters } from '../lib/queue-filters';

const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));
const STATUS_OPTIONS = options(STATUS_LABELS);
const CATEGORY_OPTIONS = options(CATEGORY_LABELS);
const TIER_OPTIONS = ([1, 2, 3] as const).map((tier) => ({ value: tier, label: TIER_LABELS[tier] }));

/** Status, tier, category, enterprise (searched on the server), department and text. */
export function QueueFilterBar({ filters, onChange }: { filters: QueueFilters; onChange: (next: QueueFilters) => void }) {
  const [enterpriseText, setEnterpriseText] = useState('');
  const enterprises = useEnterpriseSearch(enterpriseText);
  const departments = useDepartments();
  const set = (patch: Partial<QueueFilters>) => onChange({ ...filters, ...patch });

  return (
    <div className="filter-bar" role="search">
      <Input.Search
        className="filter-q"
        aria-label="搜索编号、标题或内容"
        placeholder="搜索编号、标题或内容"
        allowClear
        defaultValue={filters.q}
        onSearch={(q) => set({ q: q.trim() || undefined })}
      />
      <Select className="filter-select" aria-label="状态" placeholder="状态" allowClear options={STATUS_OPTIONS} value={filters.status} onChange={(status) => set({ status })} />
      <Select className="filter-select" aria-label="层级" placeholder="层级" allowClear options={TIER_OPTIONS} value={filters.tier} onChange={(tier) => set({ tier })} />
      <Select className="filter-select" aria-label="类别" placeholder="类别" allowClear options={CATEGORY_OPTIONS} value={filters.category} onChange={(category) => set({ category })} />
      <Select
        className="filter-wide"
        aria-label="企业"
        placeholder="企业"
        allowClear
        showSearch={{ filterOption: false, onSearch: setEnterpriseText }}
        loading={enterprises.isFetching}
        options={enterprises.data?.items.map((e) => ({ value: e.id, label: e.name }))}
        value={filters.enterpriseId}
        onChange={(enterpriseId) => set({ enterpriseId })}
      />
      <Select
        className="filter-wide"
        aria-label="承办部门"
        placeholder="承办部门"
        allowClear
        options={departments.data?.map((d) => ({ value: d.id, label: d.name }))}
        value={filters.departmentId}
        onChange={(departmentId) => set({ departmentId })}
      />
    </div>
  );
}
