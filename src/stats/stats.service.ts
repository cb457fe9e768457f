import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../auth/current-user';
import { localDate } from '../calendar/working-time';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors/domain-error';
import { EVER_OVERDUE_SQL, MAX_TIER_SQL } from '../tickets/rounds';
import { ticketScope } from '../tickets/ticket-scope';
import { SEES_EVERYTHING } from '../users/entities/user.entity';
import type {
  GroupBy,
  LeaderCoverageDto,
  PairingCoverageDto,
  RateDto,
  StatsBreakdownDto,
  StatsBreakdownQueryDto,
  StatsFiguresDto,
  StatsRangeQueryDto,
  StatsSummaryDto,
} from './dto/stats.dto';

/** How each grouping names its key and label; `summary` is the one group of everything. */
const GROUPINGS: Record<GroupBy | 'summary', { key: string; label: string; join: string }> = {
  summary: { key: 'NULL::text', label: 'NULL::text', join: '' },
  department: { key: 't.department_id::text', label: 'g.name', join: 'LEFT JOIN departments g ON g.id = t.department_id' },
  leader: { key: 't.paired_leader_id::text', label: 'g.display_name', join: 'LEFT JOIN users g ON g.id = t.paired_leader_id' },
  category: { key: 't.category', label: 't.category', join: '' },
  channel: { key: 't.channel', label: 't.channel', join: '' },
  enterprise: { key: 't.enterprise_id::text', label: 'g.name', join: 'LEFT JOIN enterprises g ON g.id = t.enterprise_id' },
  month: {
    key: `to_char(t.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`,
    label: `to_char(t.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM')`,
    join: '',
  },
};

// Over every round, not only the latest (a reopening starts a fresh clock at tier 1): a ticket
// is late when any round passed its final deadline, and sits at the highest tier any round reached.
const LATE = EVER_OVERDUE_SQL;
const DONE = `t.status IN ('resolved', 'closed')`;
const doneAtTier = (tier: number) => `${DONE} AND ${MAX_TIER_SQL} = ${tier} AND NOT ${LATE}`;

const TICKET_COUNTS = `
  count(*)::int AS raised,
  count(*) FILTER (WHERE t.status = 'closed')::int AS closed,
  count(*) FILTER (WHERE t.status = 'closed' AND NOT ${LATE})::int AS closed_on_time,
  count(*) FILTER (WHERE ${doneAtTier(1)})::int AS tier1,
  count(*) FILTER (WHERE ${doneAtTier(2)})::int AS tier2,
  count(*) FILTER (WHERE ${doneAtTier(3)})::int AS tier3,
  count(*) FILTER (WHERE ${DONE} AND ${LATE})::int AS late,
  count(*) FILTER (WHERE ${DONE})::int AS resolved,
  count(*) FILTER (WHERE t.reopen_count > 0)::int AS reopened,
  coalesce(sum(t.reopen_count), 0)::int AS reopenings,
  count(*) FILTER (WHERE NOT ${DONE})::int AS open,
  count(*) FILTER (WHERE NOT ${DONE} AND t.overdue_at IS NOT NULL)::int AS overdue,
  count(*) FILTER (WHERE ${LATE})::int AS ever_overdue,
  coalesce(sum(t.overdue_working_ms), 0)::float8 AS overdue_ms,
  count(*) FILTER (WHERE t.status = 'paused')::int AS paused,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY t.resolve_working_ms) FILTER (WHERE ${DONE}) AS median_ms,
  percentile_cont(0.9) WITHIN GROUP (ORDER BY t.resolve_working_ms) FILTER (WHERE ${DONE}) AS p90_ms`;

const SURVEY_COUNTS = `
  count(*) FILTER (WHERE s.status <> 'pending')::int AS sent,
  count(*) FILTER (WHERE s.status = 'answered')::int AS answered,
  count(*) FILTER (WHERE s.answer = 'satisfied')::int AS satisfied,
  count(*) FILTER (WHERE s.answer = 'basically_satisfied')::int AS basic,
  count(*) FILTER (WHERE s.answer = 'unsatisfied')::int AS unsatisfied,
  count(*) FILTER (WHERE s.status = 'no_response')::int AS no_response`;

type Row = Record<string, number | string | null>;

interface Range {
  from: Date;
  to: Date;
  basicWeight: number;
}

const HOUR_MS = 3_600_000;

function rate(numerator: number, denominator: number): RateDto {
  return { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator };
}

/** An ISO date is Shanghai midnight; a timestamp without an offset is Shanghai wall time. */
function parseInstant(value: string): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T00:00:00+08:00`);
  return new Date(/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(value) ? value : `${value}+08:00`);
}

function monthStart(month: string): Date {
  return new Date(`${month}-01T00:00:00+08:00`);
}

function nextMonth(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

@Injectable()
export class StatsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async summary(user: AuthUser, query: StatsRangeQueryDto): Promise<StatsSummaryDto> {
    const range = this.range(query);
    const [figures] = await this.figures(user, range, 'summary');
    return { ...this.echo(range), figures: figures ?? this.toFigures({ key: null, label: null }, undefined, range) };
  }

  async breakdown(user: AuthUser, query: StatsBreakdownQueryDto): Promise<StatsBreakdownDto> {
    const range = this.range(query);
    return { ...this.echo(range), groupBy: query.groupBy, groups: await this.figures(user, range, query.groupBy) };
  }

  /** Pairing coverage (包联覆盖率) of one Shanghai month, per leader; a deputy leader sees their own. */
  async pairing(user: AuthUser, month: string): Promise<PairingCoverageDto> {
    const ownOnly = !SEES_EVERYTHING.includes(user.role);
    const rows: { leader_id: string; leader_name: string; enterprise_id: string; enterprise_name: string; visited: boolean }[] =
      await this.dataSource.query(
        `SELECT DISTINCT p.leader_id, u.display_name AS leader_name, e.id AS enterprise_id, e.name AS enterprise_name,
                EXISTS (SELECT 1 FROM engagement_enterprises ee
                        WHERE ee.enterprise_id = p.enterprise_id AND ee.occurred_at >= $3 AND ee.occurred_at < $4) AS visited
         FROM pairings p
         JOIN users u ON u.id = p.leader_id
         JOIN enterprises e ON e.id = p.enterprise_id
         WHERE p.started_on <= ($2::date - 1) AND (p.ended_on IS NULL OR p.ended_on > $1::date)
           AND ($5::uuid IS NULL OR p.leader_id = $5)
         ORDER BY u.display_name, p.leader_id, e.name`,
        [`${month}-01`, `${nextMonth(month)}-01`, monthStart(month), monthStart(nextMonth(month)), ownOnly ? user.id : null],
      );
    const leaders = new Map<string, LeaderCoverageDto>();
    for (const row of rows) {
      let leader = leaders.get(row.leader_id);
      if (!leader) {
        leader = { leaderId: row.leader_id, leaderName: row.leader_name, paired: 0, visited: 0, coverage: rate(0, 0), notVisited: [] };
        leaders.set(row.leader_id, leader);
      }
      leader.paired += 1;
      if (row.visited) leader.visited += 1;
      else leader.notVisited.push({ id: row.enterprise_id, name: row.enterprise_name });
    }
    return {
      month,
      leaders: [...leaders.values()].map((leader) => ({ ...leader, coverage: rate(leader.visited, leader.paired) })),
    };
  }

  private range(query: StatsRangeQueryDto): Range {
    const thisMonth = localDate(this.clock.now()).slice(0, 7);
    const from = query.from ? parseInstant(query.from) : monthStart(thisMonth);
    const to = query.to ? parseInstant(query.to) : monthStart(nextMonth(thisMonth));
    if (!(from < to)) {
      throw new DomainError('validation_failed', 'from must be before to', { errors: [{ field: 'to', message: 'to must be after from' }] });
    }
    return { from, to, basicWeight: query.basicWeight };
  }

  private echo(range: Range) {
    return { from: range.from.toISOString(), to: range.to.toISOString(), basicWeight: range.basicWeight };
  }

  private async figures(user: AuthUser, range: Range, groupBy: GroupBy | 'summary'): Promise<StatsFiguresDto[]> {
    const { key, label, join } = GROUPINGS[groupBy];
    const scope = ticketScope(user);
    const where = `t.created_at >= :from AND t.created_at < :to${scope ? ` AND ${scope.sql}` : ''}`;
    const params = { from: range.from, to: range.to, ...scope?.params };
    const run = (sql: string): Promise<Row[]> => {
      const [text, values] = this.dataSource.driver.escapeQueryWithParameters(sql, params);
      return this.dataSource.query(text, values);
    };
    // Two statements side by side: a ticket has one row per survey round, so joining them would multiply the ticket counts.
    const [tickets, surveys] = await Promise.all([
      run(`SELECT ${key} AS key, ${label} AS label, ${TICKET_COUNTS}
           FROM tickets t ${join} WHERE ${where} GROUP BY 1, 2 ORDER BY 2, 1`),
      run(`SELECT ${key} AS key, ${SURVEY_COUNTS}
           FROM surveys s JOIN tickets t ON t.id = s.ticket_id ${join} WHERE ${where} GROUP BY 1`),
    ]);
    const surveysByKey = new Map(surveys.map((row) => [row.key, row]));
    return tickets.map((row) =>
      this.toFigures({ key: row.key as string | null, label: row.label as string | null }, { ...row, ...surveysByKey.get(row.key) }, range),
    );
  }

  private toFigures(group: { key: string | null; label: string | null }, row: Row | undefined, range: Range): StatsFiguresDto {
    const n = (name: string) => Number(row?.[name] ?? 0);
    const hours = (name: string) => (row?.[name] === null || row?.[name] === undefined ? null : Number(row[name]) / HOUR_MS);
    const satisfactionRate = rate(n('satisfied') + n('basic'), n('answered'));
    return {
      ...group,
      raised: n('raised'),
      closed: n('closed'),
      closureRate: rate(n('closed'), n('raised')),
      closedOnTime: n('closed_on_time'),
      onTimeRate: rate(n('closed_on_time'), n('closed')),
      resolvedAtTier1: n('tier1'),
      resolvedAtTier2: n('tier2'),
      resolvedAtTier3: n('tier3'),
      resolvedAfterDeadline: n('late'),
      reopened: n('reopened'),
      reopenings: n('reopenings'),
      open: n('open'),
      overdue: n('overdue'),
      everOverdue: n('ever_overdue'),
      overdueHours: n('overdue_ms') / HOUR_MS,
      paused: n('paused'),
      medianHoursToResolve: hours('median_ms'),
      p90HoursToResolve: hours('p90_ms'),
      surveysSent: n('sent'),
      surveysAnswered: n('answered'),
      responseRate: rate(n('answered'), n('sent')),
      satisfied: n('satisfied'),
      basicallySatisfied: n('basic'),
      unsatisfied: n('unsatisfied'),
      noResponse: n('no_response'),
      satisfactionRate,
      hotline: {
        responseRate: rate(n('answered'), n('sent')),
        resolutionRate: rate(n('resolved'), n('raised')),
        satisfactionRate: rate(n('satisfied') + range.basicWeight * n('basic'), n('answered')),
      },
    };
  }
}
