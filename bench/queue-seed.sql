-- The work queue's EXPLAIN ANALYZE data set (README, "The work queue"): 10,000 open tickets and
-- 10,000 resolved or closed ones over 20 departments (2 handlers each), 10 deputy leaders,
-- 3 principal leaders and a manager. Run on a freshly migrated database:
--   psql -v ON_ERROR_STOP=1 -d <db> -f bench/queue-seed.sql
SELECT setseed(0.42);
INSERT INTO users (username, display_name, password_hash, role)
SELECT 'deputy' || i, '副职' || i, 'x', 'deputy_leader' FROM generate_series(1, 10) i;
INSERT INTO users (username, display_name, password_hash, role)
SELECT 'principal' || i, '正职' || i, 'x', 'principal_leader' FROM generate_series(1, 3) i;
INSERT INTO users (username, display_name, password_hash, role) VALUES ('manager', '管理员', 'x', 'manager'), ('liaison', '联络员', 'x', 'liaison_officer');
INSERT INTO departments (name, deputy_leader_id)
SELECT '部门' || i, (SELECT id FROM users WHERE username = 'deputy' || (1 + i % 10)) FROM generate_series(1, 20) i;
INSERT INTO users (username, display_name, password_hash, role, department_id)
SELECT 'handler' || d.n || '_' || k, '经办' || d.n || '_' || k, 'x', 'department_handler', d.id
FROM (SELECT id, row_number() OVER (ORDER BY name) AS n FROM departments) d, generate_series(1, 2) k;
INSERT INTO enterprises (name, credit_code)
SELECT '企业' || i, '91140000' || lpad(i::text, 10, '0') FROM generate_series(1, 500) i;

WITH d AS (SELECT array_agg(id ORDER BY name) AS ids FROM departments),
     e AS (SELECT array_agg(id ORDER BY name) AS ids FROM enterprises),
     l AS (SELECT array_agg(id ORDER BY username) AS ids FROM users WHERE role = 'deputy_leader'),
     h AS (SELECT array_agg(id ORDER BY username) AS ids FROM users WHERE role = 'department_handler'),
     c AS (SELECT id FROM users WHERE username = 'liaison')
INSERT INTO tickets (number, enterprise_id, channel, category, title, department_id, paired_leader_id, starting_tier, tier, status,
                     created_by, created_at, updated_at, sla, clock_started_at, tier1_due_at, tier2_due_at, tier3_due_at, due_at,
                     warned_tier, overdue_at, next_event, next_event_at, assignee_id, resolved_at, resolved_by, resolved_tier, closed_at, holder_ids)
SELECT 'Q-' || lpad(i::text, 7, '0'), e.ids[1 + i % 500], 'online', 'land', '诉求 ' || i,
       d.ids[1 + (i / 2) % 20], l.ids[1 + (i / 2) % 10], 1, x.tier, x.status, c.id, x.created, x.created + interval '1 hour',
       '{"policyId": null, "mode": "working_days", "budgetsMs": [86400000, 172800000, 259200000], "warnRatio": 0.75, "tier2Owner": "deputy_leader", "reminderMs": null}',
       x.created, x.created + interval '1 day', x.created + interval '2 days', x.created + interval '3 days',
       x.created + x.tier * interval '1 day',
       CASE WHEN x.r2 > 0.5 THEN x.tier ELSE x.tier - 1 END,
       CASE WHEN x.tier = 3 AND x.r2 > 0.8 AND x.open THEN x.created + interval '3 days' END,
       CASE WHEN NOT x.open OR x.status = 'paused' THEN NULL WHEN x.r2 > 0.5 THEN 'breach' ELSE 'warning' END,
       CASE WHEN NOT x.open OR x.status = 'paused' THEN NULL ELSE x.created + x.tier * interval '1 day' END,
       CASE WHEN x.tier = 2 THEN l.ids[1 + (i / 2) % 10] END,
       CASE WHEN NOT x.open THEN x.created + interval '2 days' END,
       CASE WHEN NOT x.open THEN h.ids[1 + ((i / 2) % 20) * 2] END,
       CASE WHEN NOT x.open THEN x.tier END,
       CASE WHEN x.status = 'closed' THEN x.created + interval '4 days' END,
       CASE WHEN x.tier > 1 THEN ARRAY[h.ids[1 + ((i / 2) % 20) * 2], h.ids[2 + ((i / 2) % 20) * 2]] ELSE '{}' END
         || CASE WHEN x.tier > 2 THEN ARRAY[l.ids[1 + (i / 2) % 10]] ELSE '{}' END
FROM generate_series(1, 20000) i, d, e, l, h, c,
LATERAL (
  SELECT *, status NOT IN ('resolved', 'closed') AS open
  FROM (SELECT timestamptz '2026-01-01 00:00+08' + (i::float8 / 20000) * interval '330 days' AS created,
               CASE WHEN i % 2 = 0 THEN (CASE WHEN r1 < 0.4 THEN 'resolved' ELSE 'closed' END)
                    ELSE (CASE WHEN r1 < 0.15 THEN 'paused' WHEN r1 < 0.6 THEN 'in_progress' WHEN r1 < 0.65 THEN 'returned' ELSE 'assigned' END) END AS status,
               1 + floor(r2 * 3)::int AS tier, r2
        FROM (SELECT random() AS r1, random() AS r2, i AS seq) r) y
) x;
UPDATE tickets SET paused_at = created_at + interval '1 hour' WHERE status = 'paused';
VACUUM ANALYZE;
