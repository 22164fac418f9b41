/**
 * Statistical disclosure control for the municipality's tables. A cell built from fewer than the
 * threshold of families (but more than none) is suppressed; then, so that no suppressed cell can be
 * recovered by subtracting the shown cells from a shown total, every row and every column that
 * holds exactly one suppressed cell gets a second one (complementary suppression), until no row or
 * column has a lone one. A median or percentile is shown only when its row holds enough families.
 */

export interface Count {
  /** What the cell counts (families, children, moments, referrals, answers). */
  value: number;
  /** The distinct families behind it: the unit of the threshold. */
  families: number;
}

export interface CountRow {
  key: string;
  cells: Count[];
  total: Count;
  median?: number | null;
  p90?: number | null;
}

/** rows, and the row of column totals (null when the rows do not add up, such as months of a stock). */
export interface CountTable {
  rows: CountRow[];
  total: CountRow | null;
}

export interface ShownRow {
  key: string;
  /** null: suppressed ("<10"). */
  cells: (number | null)[];
  total: number | null;
  median: number | null;
  p90: number | null;
}

export interface ShownTable {
  rows: ShownRow[];
  total: ShownRow | null;
}

/** A row that another table shows too, and which of its cells (its total last) must stay hidden. */
export interface LinkedRow {
  /** Its index in rows; -1 for the total row. */
  row: number;
  hidden: boolean[];
}

export function suppressTable(table: CountTable, threshold: number, linked?: LinkedRow): ShownTable {
  const all = table.total ? [...table.rows, table.total] : table.rows;
  // grid[r][c]: the row's cells, then its total as the last column.
  const grid = all.map((row) => [...row.cells, row.total]);
  const hidden = grid.map((row) => row.map((count) => count.value > 0 && count.families < threshold));
  const width = (grid[0]?.length ?? 1) - 1;
  const totalRow = table.total ? all.length - 1 : -1;
  const linkedIndex = linked ? (linked.row < 0 ? totalRow : linked.row) : -1;
  linked?.hidden.forEach((hide, c) => {
    const row = hidden[linkedIndex];
    if (hide && row) row[c] = true;
  });

  /** Parts of a shown total with exactly one suppressed: suppress the smallest other part too. */
  const protect = (parts: [number, number][], totalHidden: boolean): boolean => {
    if (totalHidden) return false;
    const lone = parts.filter(([r, c]) => hidden[r]?.[c]);
    if (lone.length !== 1) return false;
    const candidates = parts
      .filter(([r, c]) => !hidden[r]?.[c])
      .sort(([ra, ca], [rb, cb]) => rank(grid[ra]?.[ca]) - rank(grid[rb]?.[cb]));
    const complement = candidates[0];
    if (!complement) return false;
    (hidden[complement[0]] as boolean[])[complement[1]] = true;
    return true;
  };
  let changed = true;
  while (changed) {
    changed = false;
    // Within each row: its cells add up to its total.
    for (let r = 0; r < all.length; r++) {
      const parts = Array.from({ length: width }, (_, c): [number, number] => [r, c]);
      if (width > 1 && protect(parts, hidden[r]?.[width] ?? true)) changed = true;
    }
    // Within each column (the totals column too): the rows add up to the total row.
    if (totalRow >= 0) {
      for (let c = 0; c <= width; c++) {
        const parts = table.rows.map((_, r): [number, number] => [r, c]);
        if (parts.length > 1 && protect(parts, hidden[totalRow]?.[c] ?? true)) changed = true;
      }
    }
  }
  const shown = (row: CountRow, r: number): ShownRow => {
    const enough = row.total.families >= threshold;
    return {
      key: row.key,
      cells: row.cells.map((count, c) => (hidden[r]?.[c] ? null : count.value)),
      total: hidden[r]?.[width] ? null : row.total.value,
      median: enough ? (row.median ?? null) : null,
      p90: enough ? (row.p90 ?? null) : null,
    };
  };
  return {
    rows: table.rows.map(shown),
    total: table.total ? shown(table.total, totalRow) : null,
  };
}

/**
 * Tables that show the same row (the whole period in the table by period and the region in the
 * table by neighbourhood, for instance) are suppressed together: a cell hidden in one is hidden in
 * all, and each table's complements follow, until they agree. Otherwise the one table would give
 * away what the other hid.
 */
export function suppressLinked(tables: { table: CountTable; row: number }[], threshold: number): ShownTable[] {
  const width = (tables[0]?.table.rows[0]?.cells.length ?? tables[0]?.table.total?.cells.length ?? 0) + 1;
  let forced: boolean[] = Array.from({ length: width }, () => false);
  for (;;) {
    const shown = tables.map(({ table, row }) => suppressTable(table, threshold, { row, hidden: forced }));
    const next = forced.map((was, c) =>
      shown.some((table, t) => {
        const index = tables[t]?.row ?? -1;
        const row = index < 0 ? table.total : table.rows[index];
        if (!row) return was;
        return c === width - 1 ? row.total === null : row.cells[c] === null;
      }),
    );
    if (next.every((hide, c) => hide === forced[c])) return shown;
    forced = next;
  }
}

/** The complement to prefer: the smallest cell that is not empty (an empty one hides nothing). */
function rank(count: Count | undefined): number {
  if (!count) return Number.POSITIVE_INFINITY;
  return count.value === 0 ? Number.MAX_SAFE_INTEGER : count.value;
}
