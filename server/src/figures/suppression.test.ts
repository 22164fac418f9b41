import { describe, expect, it } from 'vitest';
import { type CountRow, suppressLinked, suppressTable } from './suppression.ts';

/** A row of family counts (value = families), its total the sum. */
const row = (key: string, values: number[], stats: Partial<CountRow> = {}): CountRow => ({
  key,
  cells: values.map((value) => ({ value, families: value })),
  total: { value: values.reduce((a, b) => a + b, 0), families: values.reduce((a, b) => a + b, 0) },
  ...stats,
});
const totalOf = (rows: CountRow[]): CountRow =>
  row(
    'total',
    (rows[0]?.cells ?? []).map((_, c) => rows.reduce((sum, r) => sum + (r.cells[c]?.value ?? 0), 0)),
  );

describe('suppression of small cells', () => {
  it('shows cells of ten families or more, and empty cells', () => {
    const rows = [row('a', [10, 0, 25]), row('b', [40, 0, 12])];
    const shown = suppressTable({ rows, total: totalOf(rows) }, 10);
    expect(shown.rows.map((r) => r.cells)).toEqual([
      [10, 0, 25],
      [40, 0, 12],
    ]);
    expect(shown.total?.cells).toEqual([50, 0, 37]);
    expect(shown.total?.total).toBe(87);
  });

  it('suppresses a cell of fewer than ten families, and a second one in its row so it cannot be subtracted', () => {
    const rows = [row('a', [3, 40, 20])];
    const shown = suppressTable({ rows, total: null }, 10);
    // 63 − 40 would give the 3 back; the smallest other cell (20) goes too.
    expect(shown.rows[0]?.cells).toEqual([null, 40, null]);
    expect(shown.rows[0]?.total).toBe(63);
  });

  it('protects a suppressed cell in its column too (complementary suppression against the total row)', () => {
    const rows = [row('a', [5, 30]), row('b', [30, 30]), row('c', [40, 30])];
    const shown = suppressTable({ rows, total: totalOf(rows) }, 10);
    // Row a: 5 is small, so 30 beside it goes; column 0 then has one suppressed cell → b's 30 goes;
    // column 1 likewise; then row b has two. Nothing can be recovered by subtraction.
    const grid = shown.rows.map((r) => r.cells);
    expect(grid[0]).toEqual([null, null]);
    for (let c = 0; c < 2; c++) {
      expect(grid.filter((cells) => cells[c] === null).length).not.toBe(1);
    }
    for (const cells of grid) expect(cells.filter((cell) => cell === null).length).not.toBe(1);
    expect(shown.total?.cells).toEqual([75, 90]);
  });

  it('suppresses a whole small row, its total included, and a second row total against the region', () => {
    const rows = [row('a', [2, 3]), row('b', [20, 30]), row('c', [25, 35])];
    const shown = suppressTable({ rows, total: totalOf(rows) }, 10);
    expect(shown.rows[0]).toMatchObject({ cells: [null, null], total: null });
    // With a's total hidden, the region's total minus b and c would give it: b's total goes too.
    const hiddenTotals = shown.rows.filter((r) => r.total === null).length;
    expect(hiddenTotals).toBe(2);
  });

  it('counts the families behind a cell, not what it counts', () => {
    const rows: CountRow[] = [
      {
        key: 'a',
        cells: [
          { value: 30, families: 4 },
          { value: 12, families: 12 },
        ],
        total: { value: 42, families: 14 },
      },
    ];
    const shown = suppressTable({ rows, total: null }, 10);
    expect(shown.rows[0]?.cells).toEqual([null, null]);
    expect(shown.rows[0]?.total).toBe(42);
  });

  it('shows a median only when its row holds enough families', () => {
    const rows = [row('a', [4, 3], { median: 12, p90: 20 }), row('b', [20, 30], { median: 8, p90: 15 })];
    const shown = suppressTable({ rows, total: null }, 10);
    expect(shown.rows[0]).toMatchObject({ median: null, p90: null });
    expect(shown.rows[1]).toMatchObject({ median: 8, p90: 15 });
  });

  it('hides in every table what one table hides of a row they share, so neither gives the other away', () => {
    // The same window total for the region, by period and by neighbourhood: [5, 40, 30].
    const byPeriod = [row('2026-01', [2, 20, 15]), row('2026-02', [3, 20, 15])];
    const byHood = [row('north', [5, 12, 13]), row('south', [0, 28, 17])];
    const [period, hood] = suppressLinked(
      [
        { table: { rows: byPeriod, total: totalOf(byPeriod) }, row: -1 },
        { table: { rows: byHood, total: totalOf(byHood) }, row: -1 },
      ],
      10,
    );
    // The region's 5 is hidden in both; its complement in the shared row is the same in both.
    expect(period?.total?.cells).toEqual(hood?.total?.cells);
    expect(period?.total?.cells[0]).toBeNull();
    expect(period?.total?.cells.filter((cell) => cell === null).length).toBeGreaterThanOrEqual(2);
  });
});
