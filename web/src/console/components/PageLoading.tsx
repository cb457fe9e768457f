import { Spin } from 'antd';

/** While a page's code or first data loads. */
export function PageLoading() {
  return <Spin className="page-spin" aria-label="加载中" />;
}
