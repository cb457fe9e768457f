/**
 * Files a few demo demands through the API of a running app (`npm run up` first), so the
 * console's 我的待办 has something in it: the liaison officers file them as they would after a
 * visit, and each lands in its department's queue. Run it again for more.
 */
import { type ApiClient, type components, createApiClient } from '../clients/api';

type Category = components['schemas']['CreateTicketDto']['category'];
type Channel = components['schemas']['CreateTicketDto']['channel'];

const BASE_URL = process.env.API_ORIGIN ?? `http://localhost:${process.env.PORT ?? 3000}`;

const DEMANDS: { officer: string; enterprise: string; category: Category; channel: Channel; title: string; description: string }[] = [
  { officer: 'liaison_wu', enterprise: '襄垣县新材料科技有限公司', category: 'land', channel: 'visit', title: '二期厂房用地指标申请', description: '二期厂房需新增用地约30亩，申请协调用地指标并说明办理流程。' },
  { officer: 'liaison_wu', enterprise: '吕梁绿色能源装备有限公司', category: 'power', channel: 'breakfast_meeting', title: '变压器增容申请', description: '新生产线投产后用电负荷增加，需将厂区变压器由 800 kVA 增容至 1600 kVA。' },
  { officer: 'liaison_zheng', enterprise: '晋中智能制造股份有限公司', category: 'financing', channel: 'afternoon_tea', title: '技改项目贴息贷款咨询', description: '智能化改造项目拟贷款 2000 万元，咨询技改贴息政策及申报时间。' },
  { officer: 'liaison_zheng', enterprise: '山西特色食品有限公司', category: 'labor', channel: 'evening_salon', title: '季节性用工招聘对接', description: '中秋前后生产旺季需临时招聘包装工约 60 人，希望对接人社部门招聘会。' },
  { officer: 'liaison_wu', enterprise: '太原数字科技有限公司', category: 'permits', channel: 'site_office_meeting', title: '软件著作权登记加急', description: '参加招标需在月底前取得 3 项软件著作权登记证书，申请协助加急。' },
  { officer: 'liaison_wu', enterprise: '襄垣县新材料科技有限公司', category: 'land', channel: 'online', title: '厂区外道路破损修复', description: '厂区外道路破损严重，影响货车通行，申请协调修复。' },
];

async function signIn(username: string): Promise<ApiClient> {
  const { data, error } = await createApiClient(BASE_URL).POST('/api/v1/auth/login', { body: { username, password: `demo-${username}` } });
  if (!data) throw new Error(`${username} could not sign in at ${BASE_URL}: ${error?.code ?? 'no answer'} (is the app running, with the demo data?)`);
  return createApiClient(BASE_URL, data.accessToken);
}

async function main(): Promise<void> {
  const officers = new Map<string, ApiClient>();
  for (const demand of DEMANDS) {
    if (!officers.has(demand.officer)) officers.set(demand.officer, await signIn(demand.officer));
    const officer = officers.get(demand.officer)!;
    const found = await officer.GET('/api/v1/enterprises', { params: { query: { q: demand.enterprise, limit: 1 } } });
    const enterprise = found.data?.items[0];
    if (!enterprise) throw new Error(`No demo enterprise ${demand.enterprise}`);
    const { category, channel, title, description } = demand;
    const filed = await officer.POST('/api/v1/tickets', { body: { enterpriseId: enterprise.id, category, channel, title, description } });
    if (!filed.data) throw new Error(`Filing "${demand.title}" was refused: ${filed.error?.detail}`);
    console.log(`[demo] ${filed.data.number} ${filed.data.title} → ${filed.data.departmentName ?? '待转派'}`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
