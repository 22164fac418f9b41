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

/** The rank of a matrix (Gaussian elimination; the coefficients here are 0 and 1). */
function rank(matrix: number[][]): number {
  const m = matrix.map((r) => [...r]);
  let rank = 0;
  const width = m[0]?.length ?? 0;
  for (let c = 0; c < width && rank < m.length; c++) {
    const pivot = m.findIndex((r, i) => i >= rank && Math.abs(r[c] ?? 0) > 1e-9);
    if (pivot < 0) continue;
    [m[rank], m[pivot]] = [m[pivot] as number[], m[rank] as number[]];
    const top = m[rank] as number[];
    for (let i = 0; i < m.length; i++) {
      const r = m[i] as number[];
      if (i === rank || Math.abs(r[c] ?? 0) < 1e-9) continue;
      const f = (r[c] as number) / (top[c] as number);
      for (let k = c; k < width; k++) r[k] = (r[k] as number) - f * (top[k] as number);
    }
    rank++;
  }
  return rank;
}

/**
 * Which hidden cells an analyst could work out exactly from the shown cells and totals: the
 * hidden cells are the unknowns of the sums the table shows (each row adds up to its total, each
 * column to the total row); one is recoverable when its unit vector lies in those sums' row space.
 */
function recoverable(grid: (number | null)[][], rows: number, hasTotalRow: boolean): string[] {
  const unknowns: [number, number][] = [];
  grid.forEach((cells, r) => {
    cells.forEach((v, c) => {
      if (v === null) unknowns.push([r, c]);
    });
  });
  const index = new Map(unknowns.map(([r, c], i) => [`${r},${c}`, i]));
  const width = (grid[0]?.length ?? 1) - 1;
  const equations: number[][] = [];
  const equation = (cells: [number, number][]) => {
    const e = unknowns.map(() => 0);
    for (const [r, c] of cells) {
      const i = index.get(`${r},${c}`);
      if (i !== undefined) e[i] = 1;
    }
    if (e.some((x) => x !== 0)) equations.push(e);
  };
  // Each row: its cells minus its total is zero.
  grid.forEach((_, r) => {
    equation(Array.from({ length: width + 1 }, (_, c): [number, number] => [r, c]));
  });
  if (hasTotalRow) {
    for (let c = 0; c <= width; c++) equation(Array.from({ length: rows + 1 }, (_, r): [number, number] => [r, c]));
  }
  const base = rank(equations);
  return unknowns
    .filter((_, i) => rank([...equations, unknowns.map((__, k) => (k === i ? 1 : 0))]) === base)
    .map(([r, c]) => `${r},${c}`);
}

describe('the proof that suppression hides what it must and labels it truly', () => {
  it('labels "Kinderwens" per neighbourhood truly: one small cell "<10", the cells hidden to protect it as protected', () => {
    // The case an analyst found: three hidden cells holding 68 between them were all labelled "<10".
    const rows = [row('centrum', [33, 7]), row('polderwijk', [31, 2]), row('haven', [5, 40]), row('duin', [30, 12])];
    const shown = suppressTable({ rows, total: totalOf(rows) }, 10);
    for (const [r, shownRow] of shown.rows.entries()) {
      shownRow.cells.forEach((value, c) => {
        const count = rows[r]?.cells[c]?.value as number;
        if (value !== null) expect(shownRow.hiddenAs[c]).toBeNull();
        else expect(shownRow.hiddenAs[c]).toBe(count > 0 && count < 10 ? 'small' : 'protected');
      });
    }
    expect(shown.rows.flatMap((r) => r.hiddenAs).filter((why) => why === 'protected').length).toBeGreaterThan(0);
  });

  it('on 2,000 random tables: every hidden cell is labelled by why, no label is false, and none can be worked out', () => {
    // A fixed pseudo-random sequence, so a failure can be reproduced.
    let seed = 20261207;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let n = 0; n < 2000; n++) {
      const height = 1 + Math.floor(next() * 6);
      const width = 1 + Math.floor(next() * 5);
      // Many small and empty cells, the way a neighbourhood's month looks.
      const rows = Array.from({ length: height }, (_, r) =>
        row(
          `r${r}`,
          Array.from({ length: width }, () => {
            const x = next();
            return x < 0.2 ? 0 : x < 0.55 ? 1 + Math.floor(next() * 9) : 10 + Math.floor(next() * 50);
          }),
        ),
      );
      const withTotal = height > 1 && next() < 0.8;
      const shown = suppressTable({ rows, total: withTotal ? totalOf(rows) : null }, 10);
      const all = withTotal ? [...rows, totalOf(rows)] : rows;
      const shownAll = shown.total ? [...shown.rows, shown.total] : shown.rows;
      shownAll.forEach((shownRow, r) => {
        const counted = all[r] as CountRow;
        const check = (value: number | null, why: string | null, count: { value: number; families: number }) => {
          const small = count.value > 0 && count.families < 10;
          if (value === null) expect(why).toBe(small ? 'small' : 'protected');
          else {
            expect(why).toBeNull();
            expect(small).toBe(false);
          }
        };
        shownRow.cells.forEach((value, c) => {
          check(value, shownRow.hiddenAs[c] ?? null, counted.cells[c] as { value: number; families: number });
        });
        check(shownRow.total, shownRow.totalHiddenAs, counted.total);
      });
      const grid = shownAll.map((r) => [...r.cells, r.total]);
      const smallHidden = recoverable(grid, height, withTotal).filter((at) => {
        const [r, c] = at.split(',').map(Number) as [number, number];
        const shownRow = shownAll[r] as (typeof shownAll)[number];
        return (c < width ? shownRow.hiddenAs[c] : shownRow.totalHiddenAs) !== null;
      });
      expect(smallHidden, `table ${n}: ${JSON.stringify(rows.map((x) => x.cells.map((k) => k.value)))}`).toEqual([]);
    }
  });
});
