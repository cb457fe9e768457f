import 'reflect-metadata';
import type { DataSource, EntityManager } from 'typeorm';
import { chineseDaysExceptions, writeYear } from '../calendar/calendar.service';
import dataSource from '../database/data-source';
import { Department } from '../departments/entities/department.entity';
import { Enterprise } from '../enterprises/entities/enterprise.entity';
import { Pairing } from '../pairings/entities/pairing.entity';
import type { Category } from '../tickets/categories';
import { type Role, User } from '../users/entities/user.entity';
import { hashPassword } from '../users/users.service';

// Demo data for `npm run up`: loaded only into an empty database, never in tests.

interface DemoUser {
  username: string;
  displayName: string;
  role: Role;
  department?: string;
}

const DEPARTMENTS: { name: string; categories: Category[]; deputy: string }[] = [
  { name: '自然资源和规划局', categories: ['land'], deputy: 'deputy_zhang' },
  { name: '住房和城乡建设局', categories: ['infrastructure', 'water', 'gas'], deputy: 'deputy_zhang' },
  { name: '供电服务中心', categories: ['power'], deputy: 'deputy_zhang' },
  { name: '行政审批服务局', categories: ['permits', 'intellectual_property'], deputy: 'deputy_li' },
  { name: '经济发展局', categories: ['financing', 'policy_payout', 'foreign_trade'], deputy: 'deputy_li' },
  { name: '人力资源和社会保障局', categories: ['labor', 'talent_housing'], deputy: 'deputy_li' },
  { name: '营商环境办公室', categories: ['other'], deputy: 'deputy_li' },
];

const USERS: DemoUser[] = [
  { username: 'admin', displayName: '系统管理员', role: 'admin' },
  { username: 'manager', displayName: '营商办 刘主任', role: 'manager' },
  { username: 'principal', displayName: '管委会 王书记', role: 'principal_leader' },
  { username: 'deputy_zhang', displayName: '张副主任 (分管规划建设)', role: 'deputy_leader' },
  { username: 'deputy_li', displayName: '李副主任 (分管经济服务)', role: 'deputy_leader' },
  { username: 'handler_land', displayName: '自规局 赵科长', role: 'department_handler', department: '自然资源和规划局' },
  { username: 'handler_power', displayName: '供电中心 钱工', role: 'department_handler', department: '供电服务中心' },
  { username: 'handler_finance', displayName: '经发局 孙科长', role: 'department_handler', department: '经济发展局' },
  { username: 'handler_hr', displayName: '人社局 周科长', role: 'department_handler', department: '人力资源和社会保障局' },
  { username: 'liaison_wu', displayName: '联络员 吴', role: 'liaison_officer' },
  { username: 'liaison_zheng', displayName: '联络员 郑', role: 'liaison_officer' },
];

const ENTERPRISES = [
  { name: '襄垣县新材料科技有限公司', creditCode: '91140000MA0K8A1B2C', industry: '新材料', park: '襄垣经开区', isKey: true, liaison: 'liaison_wu', leader: 'deputy_zhang' },
  { name: '吕梁绿色能源装备有限公司', creditCode: '91141000MA0L3C4D5F', industry: '装备制造', park: '吕梁经开区', isKey: true, liaison: 'liaison_wu', leader: 'deputy_zhang' },
  { name: '晋中智能制造股份有限公司', creditCode: '91140700MA0M5E6F7B', industry: '智能制造', park: '晋中开发区', isKey: true, liaison: 'liaison_zheng', leader: 'deputy_li' },
  { name: '山西特色食品有限公司', creditCode: '91141100MA0N7G8H9W', industry: '食品加工', park: '吕梁经开区', isKey: true, liaison: 'liaison_zheng', leader: 'deputy_li' },
  { name: '太原数字科技有限公司', creditCode: '91140100MA0P9J1K2M', industry: '软件和信息服务', park: '太原综改区', isKey: true, liaison: 'liaison_wu', leader: 'principal' },
  { name: '长治精密铸造有限公司', creditCode: '91140400MA0Q2L3M4K', industry: '铸造', park: '襄垣经开区', isKey: false, liaison: 'liaison_zheng', leader: null },
  { name: '晋城光伏组件有限公司', creditCode: '91140500MA0R4N5P6W', industry: '光伏', park: '晋城开发区', isKey: false, liaison: 'liaison_wu', leader: null },
  { name: '忻州物流供应链有限公司', creditCode: '91140900MA0T6Q7R8M', industry: '物流', park: '忻州开发区', isKey: false, liaison: 'liaison_zheng', leader: null },
];

/** Demo passwords are printed on purpose: this is a local demo database. */
export const demoPassword = (username: string) => `demo-${username}`;

/** This year's and next year's holidays and make-up days, where the bundled data has them. */
async function seedCalendar(manager: EntityManager, thisYear: number): Promise<void> {
  for (const year of [thisYear, thisYear + 1]) {
    const days = chineseDaysExceptions(year);
    if (days.length > 0) await writeYear(manager, year, days, 'chinese-days');
    console.log(`[seed] calendar ${year}: ${days.length > 0 ? `${days.length} holidays and make-up days` : 'no bundled data yet'}`);
  }
}

async function seed(manager: EntityManager): Promise<void> {
  const users = new Map<string, User>();
  for (const demo of USERS.filter((u) => !u.department)) {
    users.set(demo.username, await saveUser(manager, demo, null));
  }
  const departments = new Map<string, Department>();
  for (const d of DEPARTMENTS) {
    const saved = await manager.save(
      manager.create(Department, { name: d.name, categories: d.categories, deputyLeaderId: users.get(d.deputy)!.id }),
    );
    departments.set(d.name, saved);
  }
  for (const demo of USERS.filter((u) => u.department)) {
    users.set(demo.username, await saveUser(manager, demo, departments.get(demo.department!)!.id));
  }
  const admin = users.get('admin')!;
  for (const e of ENTERPRISES) {
    const enterprise = await manager.save(
      manager.create(Enterprise, {
        name: e.name,
        creditCode: e.creditCode,
        industry: e.industry,
        park: e.park,
        isKey: e.isKey,
        contacts: [{ name: '企业联系人', phone: '13800000000', role: '总经理' }],
        // Where survey links go by SMS once SMS_PROVIDER is set (README, "SMS survey links").
        contactMobile: '13800000000',
        liaisonOfficerId: users.get(e.liaison)!.id,
      }),
    );
    if (e.leader) {
      await manager.save(
        manager.create(Pairing, {
          leaderId: users.get(e.leader)!.id,
          enterpriseId: enterprise.id,
          startedOn: '2026-01-01',
          createdBy: admin.id,
        }),
      );
    }
  }
}

async function saveUser(manager: EntityManager, demo: DemoUser, departmentId: string | null): Promise<User> {
  return manager.save(
    manager.create(User, {
      username: demo.username,
      displayName: demo.displayName,
      role: demo.role,
      departmentId,
      passwordHash: await hashPassword(demoPassword(demo.username)),
    }),
  );
}

async function main(ds: DataSource): Promise<void> {
  await ds.initialize();
  try {
    const [{ count }] = await ds.query<{ count: string }[]>('SELECT count(*) FROM users');
    if (Number(count) > 0) {
      console.log('[seed] the database already has users: demo data not loaded');
    } else {
      await ds.transaction(async (manager) => {
        await seed(manager);
        // A script, not domain code: the wall clock picks "this year".
        await seedCalendar(manager, new Date().getFullYear());
      });
      console.log('[seed] demo data loaded');
    }
    console.log('[seed] demo accounts (username / password / role):');
    for (const u of USERS) console.log(`  ${u.username.padEnd(16)} ${demoPassword(u.username).padEnd(22)} ${u.role}`);
  } finally {
    await ds.destroy();
  }
}

main(dataSource).catch((error: unknown) => {
  console.error('[seed] failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
