/**
 * Every benchmark, one after the other (they would skew each other's figures in parallel):
 * prints one table of figures against their targets and writes the whole result, with the
 * machine it ran on, to bench/results/latest.json. Exits 1 when a figure misses its target or
 * a benchmark fails. Needs the built app (`npm run build`) for the API processes and pages.
 * A group name runs only that group's benchmarks and writes bench/results/<group>.json.
 *
 *   npm run bench
 *   npm run bench:pages                 (run.ts pages: the survey and queue pages in Chromium)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { escalationLag } from './escalation-lag';
import { intakeBench } from './intake';
import { QUEUE_INTERACTIVE_TARGET_MS, queuePageBench, TAB_INPUT_DELAY_TARGET_MS } from './queue-page';
import { statsBench } from './stats';
import { SURVEY_JS_GZIP_LIMIT_KB, SURVEY_LCP_TARGET_MS, surveyPageBench } from './survey-page';
import { connect } from './support';
import { testDatabaseNames } from '../test/support/databases';

const RESULTS_DIR = resolve('bench/results');
const API_PEAK_MEMORY_LIMIT_MB = 250;

type Result = Record<string, unknown>;

interface Figure {
  benchmark: string;
  figure: string;
  value: unknown;
  target: string;
  pass: boolean;
}

interface Benchmark {
  name: string;
  /** Run alone with `run.ts <group>`. */
  group?: 'pages';
  run: () => Promise<Result>;
  /** The figures with a target, read off the benchmark's result. */
  figures: (result: Result) => Omit<Figure, 'benchmark'>[];
}

const num = (result: Result, key: string) => Number(result[key]);

const BENCHMARKS: Benchmark[] = [
  {
    name: 'escalation lag',
    run: escalationLag,
    figures: (r) => [
      { figure: 'lag p99 (ms)', value: r.lagP99Ms, target: '< 1000', pass: num(r, 'lagP99Ms') < 1000 },
      { figure: 'lag max (ms)', value: r.lagMaxMs, target: '< 10000', pass: num(r, 'lagMaxMs') < 10_000 },
      { figure: 'escalated exactly once', value: r.escalatedExactlyOnce, target: 'true', pass: r.escalatedExactlyOnce === true },
    ],
  },
  {
    name: 'intake',
    run: intakeBench,
    figures: (r) => [
      { figure: 'API tickets/s ÷ plain-SQL floor', value: r.ratioToFloor, target: '≥ 0.5', pass: num(r, 'ratioToFloor') >= 0.5 },
      { figure: 'API tickets/s (50 connections)', value: r.ticketsPerSecond, target: '-', pass: true },
      { figure: 'plain-SQL floor tickets/s', value: r.floorTicketsPerSecond, target: '-', pass: true },
      { figure: 'latency p50 / p99 (ms)', value: `${r.latencyP50Ms} / ${r.latencyP99Ms}`, target: '-', pass: true },
      { figure: 'non-2xx responses', value: r.non2xx, target: '0', pass: num(r, 'non2xx') === 0 },
      { figure: 'tickets in DB = 201s', value: `${r.ticketsInDb} = ${r.created201} + ${r.retriedAfterCutoff} retried`, target: 'true', pass: r.ticketsMatch201s === true },
    ],
  },
  {
    name: 'statistics',
    run: statsBench,
    figures: (r) => [
      { figure: 'breakdown ÷ plain SQL (median)', value: r.breakdownToSqlRatio, target: '≤ 1.5', pass: num(r, 'breakdownToSqlRatio') <= 1.5 },
      { figure: 'CSV export rows/s', value: r.csvExportRowsPerSecond, target: '-', pass: true },
      { figure: 'XLSX export rows/s', value: r.xlsxExportRowsPerSecond, target: '-', pass: true },
      {
        figure: 'API memory growth during exports (MB)',
        value: num(r, 'apiPeakRssMb') - num(r, 'apiPeakRssMbBeforeExport'),
        target: '< 100 (flat)',
        pass: num(r, 'apiPeakRssMb') - num(r, 'apiPeakRssMbBeforeExport') < 100,
      },
    ],
  },
  {
    name: 'survey page',
    group: 'pages',
    run: surveyPageBench,
    figures: (r) => [
      { figure: 'JS of its entry, gzipped (KB)', value: r.jsGzipKb, target: `≤ ${SURVEY_JS_GZIP_LIMIT_KB}`, pass: num(r, 'jsGzipKb') <= SURVEY_JS_GZIP_LIMIT_KB },
      {
        figure: `LCP median of ${r.runs} (ms), slow 4G, CPU 4×`,
        value: r.lcpMedianMs,
        target: `≤ ${SURVEY_LCP_TARGET_MS}`,
        pass: num(r, 'lcpMedianMs') <= SURVEY_LCP_TARGET_MS,
      },
      { figure: 'LCP worst (ms)', value: r.lcpWorstMs, target: '-', pass: true },
    ],
  },
  {
    name: 'queue page',
    group: 'pages',
    run: queuePageBench,
    figures: (r) => [
      {
        figure: `interactive, median of ${r.runs} (ms), ${r.tickets} open tickets`,
        value: r.interactiveMedianMs,
        target: `≤ ${QUEUE_INTERACTIVE_TARGET_MS}`,
        pass: num(r, 'interactiveMedianMs') <= QUEUE_INTERACTIVE_TARGET_MS,
      },
      { figure: 'interactive worst (ms)', value: r.interactiveWorstMs, target: '-', pass: true },
      {
        figure: 'tab clicked once ready: input delay, median / worst (ms)',
        value: `${r.tabInputDelayMedianMs} / ${r.tabInputDelayWorstMs}`,
        target: `median ≤ ${TAB_INPUT_DELAY_TARGET_MS}`,
        pass: num(r, 'tabInputDelayMedianMs') <= TAB_INPUT_DELAY_TARGET_MS,
      },
      { figure: 'tab shown selected, median / worst (ms)', value: `${r.tabAnswerMedianMs} / ${r.tabAnswerWorstMs}`, target: '-', pass: true },
      { figure: 'interactive, CPU 4×, median / worst (ms)', value: `${r.cpu4InteractiveMedianMs} / ${r.cpu4InteractiveWorstMs}`, target: '-', pass: true },
      {
        figure: 'tab, CPU 4×: input delay; shown, median / worst (ms)',
        value: `${r.cpu4TabInputDelayMedianMs} / ${r.cpu4TabInputDelayWorstMs}; ${r.cpu4TabAnswerMedianMs} / ${r.cpu4TabAnswerWorstMs}`,
        target: '-',
        pass: true,
      },
    ],
  },
];

async function machine() {
  const db = await connect(testDatabaseNames().adminUrl);
  try {
    const { rows } = await db.query<{ server_version: string }>('SHOW server_version');
    return {
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      cpuCount: os.availableParallelism(),
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      // Other work on the machine skews every figure; the load when the run began says how much.
      loadAverageAtStart: os.loadavg().map((load) => Math.round(load * 100) / 100),
      node: process.version,
      postgres: rows[0].server_version,
      date: new Date().toISOString(),
    };
  } finally {
    await db.end();
  }
}

async function main(group: string | undefined): Promise<boolean> {
  const benchmarks = group === undefined ? BENCHMARKS : BENCHMARKS.filter((benchmark) => benchmark.group === group);
  if (benchmarks.length === 0) throw new Error(`No benchmark in the group ${group}`);
  const started = Date.now();
  const machineInfo = await machine();
  const results: Record<string, Result> = {};
  const figures: Figure[] = [];
  for (const benchmark of benchmarks) {
    console.log(`▶ ${benchmark.name}`);
    try {
      const result = await benchmark.run();
      results[benchmark.name] = result;
      figures.push(...benchmark.figures(result).map((figure) => ({ benchmark: benchmark.name, ...figure })));
    } catch (error) {
      console.error(error);
      results[benchmark.name] = { error: (error as Error).message };
      figures.push({ benchmark: benchmark.name, figure: 'ran to the end', value: false, target: 'true', pass: false });
    }
  }
  const peaks = Object.values(results)
    .map((result) => Number(result.apiPeakRssMb))
    .filter((peak) => Number.isFinite(peak));
  const apiPeakMb = peaks.length > 0 ? Math.max(...peaks) : NaN;
  figures.push({
    benchmark: 'all',
    figure: 'API peak memory (MB)',
    value: apiPeakMb,
    target: `< ${API_PEAK_MEMORY_LIMIT_MB}`,
    pass: apiPeakMb < API_PEAK_MEMORY_LIMIT_MB,
  });

  console.table(figures.map(({ pass, ...figure }) => ({ ...figure, result: pass ? 'pass' : 'FAIL' })));
  const passed = figures.every((figure) => figure.pass);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = resolve(RESULTS_DIR, `${group ?? 'latest'}.json`);
  const report = { machine: machineInfo, totalSeconds: Math.round((Date.now() - started) / 1000), passed, figures, results };
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`${passed ? 'All targets met' : 'Some targets missed'}; written to ${file} (${report.totalSeconds} s)`);
  return passed;
}

main(process.argv[2])
  .then((passed) => process.exit(passed ? 0 : 1))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
