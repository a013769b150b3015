/**
 * A small typed model of Grafana dashboard JSON (the subset our dashboards use) and builders that lay panels out
 * on Grafana's 24-column grid. Dashboards are written as TypeScript objects and serialised with 2-space
 * indentation, so a change to a query is a one-line diff in the rendered ConfigMap.
 */

/** The provisioned Prometheus datasource (see grafana.ts); dashboards refer to it by this uid. */
export const PROMETHEUS_DATASOURCE = { type: 'prometheus', uid: 'prometheus' } as const;

export type Unit = 'short' | 'none' | 'percentunit' | 'bytes' | 'Bps' | 's';

export interface Target {
  readonly refId: string;
  readonly datasource: typeof PROMETHEUS_DATASOURCE;
  readonly expr: string;
  readonly legendFormat: string;
  readonly instant?: boolean;
  readonly range?: boolean;
  readonly format?: 'time_series' | 'table';
}

export interface Threshold {
  readonly color: string;
  readonly value: number | null;
}

export interface FieldConfig {
  readonly defaults: {
    readonly unit: Unit;
    readonly min?: number;
    readonly max?: number;
    readonly decimals?: number;
    readonly color?: { readonly mode: 'palette-classic' | 'thresholds' };
    readonly thresholds?: { readonly mode: 'absolute' | 'percentage'; readonly steps: readonly Threshold[] };
    readonly custom?: Record<string, unknown>;
  };
  readonly overrides: readonly unknown[];
}

export interface GridPos {
  readonly h: number;
  readonly w: number;
  readonly x: number;
  readonly y: number;
}

export type PanelType = 'timeseries' | 'stat' | 'gauge' | 'table';

export interface Panel {
  readonly id: number;
  readonly type: PanelType;
  readonly title: string;
  readonly description: string;
  readonly gridPos: GridPos;
  readonly datasource: typeof PROMETHEUS_DATASOURCE;
  readonly targets: readonly Target[];
  readonly fieldConfig: FieldConfig;
  readonly options: Record<string, unknown>;
}

export interface RowPanel {
  readonly id: number;
  readonly type: 'row';
  readonly title: string;
  readonly collapsed: false;
  readonly gridPos: GridPos;
  readonly panels: readonly [];
}

export interface QueryVariable {
  readonly name: string;
  readonly label: string;
  readonly type: 'query';
  readonly datasource: typeof PROMETHEUS_DATASOURCE;
  /** `label_values(<selector>, <label>)`. */
  readonly query: { readonly qryType: 1; readonly query: string; readonly refId: string };
  readonly definition: string;
  /** 2 = refresh when the time range changes (new pods appear). */
  readonly refresh: 2;
  readonly sort: 1;
  readonly includeAll: false;
  readonly multi: false;
  readonly current: Record<string, never>;
  readonly options: readonly [];
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly timezone: 'utc';
  readonly editable: false;
  /** Shared crosshair across panels. */
  readonly graphTooltip: 1;
  readonly schemaVersion: 39;
  readonly version: 1;
  readonly refresh: '30s';
  readonly time: { readonly from: string; readonly to: 'now' };
  readonly templating: { readonly list: readonly QueryVariable[] };
  readonly annotations: { readonly list: readonly [] };
  readonly links: readonly [];
  readonly panels: ReadonlyArray<Panel | RowPanel>;
}

/** One query of a panel: a PromQL expression and how its series are named in the legend. */
export interface Query {
  readonly expr: string;
  readonly legend: string;
}

/** A PromQL query; `legend` uses Grafana's `{{label}}` syntax. */
export function q(expr: string, legend = ''): Query {
  return { expr, legend };
}

/** What a panel shows, before it is placed on the grid. */
export interface PanelSpec {
  readonly type: PanelType;
  readonly title: string;
  /** Tooltip of the panel title: what it shows and how to read it. */
  readonly description: string;
  readonly queries: readonly Query[];
  readonly unit: Unit;
  /** Columns out of 24. */
  readonly width: number;
  readonly min?: number;
  readonly max?: number;
  /** Stacked areas (parts of a whole, e.g. CPU by mode). @default false */
  readonly stack?: boolean;
  /** Threshold steps (value → colour) for stats and gauges. */
  readonly thresholds?: readonly Threshold[];
  /** Stat shows the series name instead of the value (e.g. the node a pod runs on). @default false */
  readonly showName?: boolean;
  /** Instant queries rendered as a table (columns = labels). */
  readonly tableColumns?: readonly string[];
}

type PanelOptions = Omit<PanelSpec, 'type' | 'queries' | 'title' | 'description'> & { readonly description: string };

export function timeseries(title: string, queries: readonly Query[], options: PanelOptions): PanelSpec {
  return { type: 'timeseries', title, queries, ...options };
}

export function stat(title: string, query: Query, options: PanelOptions): PanelSpec {
  return { type: 'stat', title, queries: [query], ...options };
}

export function gauge(title: string, query: Query, options: PanelOptions): PanelSpec {
  return { type: 'gauge', title, queries: [query], ...options };
}

/** A table of the label sets an instant query returns, one row per series (e.g. containers and their reason). */
export function table(title: string, queries: readonly Query[], options: PanelOptions & { readonly tableColumns: readonly string[] }): PanelSpec {
  return { type: 'table', title, queries, ...options };
}

/** A titled band of panels, all of the same height. */
export interface Row {
  readonly title: string;
  readonly height: number;
  readonly panels: readonly PanelSpec[];
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags?: readonly string[];
  readonly variables?: readonly QueryVariable[];
  /** @default "now-6h" */
  readonly from?: string;
  readonly rows: readonly Row[];
}

/** A dropdown filled from a label's values, e.g. `variable('node', 'Node', 'kube_node_info', 'node')`. */
export function variable(name: string, label: string, selector: string, labelName: string): QueryVariable {
  const query = `label_values(${selector}, ${labelName})`;
  return {
    name, label, type: 'query', datasource: PROMETHEUS_DATASOURCE,
    query: { qryType: 1, query, refId: `${name}-variable` }, definition: query,
    refresh: 2, sort: 1, includeAll: false, multi: false, current: {}, options: [],
  };
}

const GREEN_AMBER_RED: readonly Threshold[] = [
  { color: 'green', value: null },
  { color: 'orange', value: 0.8 },
  { color: 'red', value: 0.9 },
];

/** Thresholds for a ratio of capacity: amber from 80%, red from 90%. */
export const CAPACITY_THRESHOLDS = GREEN_AMBER_RED;

/** Thresholds for a count where anything above zero deserves attention. */
export const NONZERO_IS_BAD: readonly Threshold[] = [
  { color: 'green', value: null },
  { color: 'red', value: 1 },
];

function panelOptions(spec: PanelSpec): Record<string, unknown> {
  switch (spec.type) {
    case 'timeseries':
      return {
        legend: { displayMode: 'table', placement: 'bottom', showLegend: true, calcs: ['mean', 'max', 'lastNotNull'] },
        tooltip: { mode: 'multi', sort: 'desc' },
      };
    case 'stat':
      return {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        colorMode: 'value',
        graphMode: spec.showName ? 'none' : 'area',
        textMode: spec.showName ? 'name' : 'auto',
        justifyMode: 'auto',
        orientation: 'auto',
      };
    case 'gauge':
      return { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, showThresholdLabels: false, showThresholdMarkers: true };
    case 'table':
      return { showHeader: true, cellHeight: 'sm', footer: { show: false } };
  }
}

function fieldConfig(spec: PanelSpec): FieldConfig {
  const custom = spec.type === 'timeseries'
    ? {
      drawStyle: 'line', lineWidth: 1, fillOpacity: spec.stack ? 60 : 10, showPoints: 'never', spanNulls: false,
      stacking: { mode: spec.stack ? 'normal' : 'none', group: 'A' },
    }
    : undefined;
  return {
    defaults: {
      unit: spec.unit,
      ...(spec.min !== undefined ? { min: spec.min } : {}),
      ...(spec.max !== undefined ? { max: spec.max } : {}),
      color: { mode: spec.thresholds ? 'thresholds' : 'palette-classic' },
      ...(spec.thresholds ? { thresholds: { mode: 'absolute', steps: spec.thresholds } } : {}),
      ...(custom ? { custom } : {}),
    },
    overrides: [],
  };
}

/** Transformations that turn instant table queries into "one row per series, the chosen labels as columns". */
function tableTransformations(columns: readonly string[]): Record<string, unknown>[] {
  return [
    { id: 'merge', options: {} },
    { id: 'filterFieldsByName', options: { include: { names: [...columns] } } },
  ];
}

/** Places the rows on the grid (left to right, top to bottom), numbers the panels and assembles the dashboard. */
export function dashboard(spec: DashboardSpec): Dashboard {
  const panels: Array<Panel | RowPanel> = [];
  let id = 1;
  let y = 0;
  for (const row of spec.rows) {
    const total = row.panels.reduce((sum, p) => sum + p.width, 0);
    if (total > 24) throw new Error(`dashboard ${spec.uid}, row "${row.title}": panels are ${total} columns wide; the grid has 24`);
    panels.push({ id: id++, type: 'row', title: row.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
    y += 1;
    let x = 0;
    for (const p of row.panels) {
      const table = p.type === 'table';
      const panel: Panel & { transformations?: unknown[] } = {
        id: id++,
        type: p.type,
        title: p.title,
        description: p.description,
        gridPos: { h: row.height, w: p.width, x, y },
        datasource: PROMETHEUS_DATASOURCE,
        targets: p.queries.map((query, i) => ({
          refId: String.fromCharCode(65 + i),
          datasource: PROMETHEUS_DATASOURCE,
          expr: query.expr,
          legendFormat: query.legend,
          ...(table ? { instant: true, range: false, format: 'table' as const } : {}),
        })),
        fieldConfig: fieldConfig(p),
        options: panelOptions(p),
      };
      if (table) panel.transformations = tableTransformations(p.tableColumns ?? []);
      panels.push(panel);
      x += p.width;
    }
    y += row.height;
  }
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['platform', 'kubernetes', ...(spec.tags ?? [])],
    timezone: 'utc',
    editable: false,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: spec.from ?? 'now-6h', to: 'now' },
    templating: { list: spec.variables ?? [] },
    annotations: { list: [] },
    links: [],
    panels,
  };
}

/** The file Grafana's provider reads: 2-space JSON, trailing newline. */
export function dashboardJson(d: Dashboard): string {
  return `${JSON.stringify(d, null, 2)}\n`;
}
