/**
 * Statistical disclosure control for the municipality's tables. A cell built from fewer than the
 * threshold of families (but more than none) is suppressed; then, so that no suppressed cell can be
 * recovered from the shown cells and totals, every row and every column that holds exactly one
 * suppressed cell gets a second one (complementary suppression), and then more, until no hidden
 * cell can be worked out from any combination of the shown sums (checked by linear algebra). A median or percentile is shown only when its row holds enough families.
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

/**
 * Why a cell is not shown: `small`, built from fewer families than the threshold ("<10"); or
 * `protected`, not small itself but hidden so that a small one cannot be worked out from the
 * shown cells and totals (complementary suppression). Labelling both "<10" would be false.
 */
export type HiddenAs = 'small' | 'protected';

export interface ShownRow {
  key: string;
  /** null: not shown; `hiddenAs` says why. */
  cells: (number | null)[];
  total: number | null;
  /** Per cell: why it is hidden, or null when it is shown. */
  hiddenAs: (HiddenAs | null)[];
  totalHiddenAs: HiddenAs | null;
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
  const hidden = grid.map((row) => row.map((count) => isSmall(count, threshold)));
  const width = (grid[0]?.length ?? 1) - 1;
  const totalRow = table.total ? all.length - 1 : -1;
  const linkedIndex = linked ? (linked.row < 0 ? totalRow : linked.row) : -1;
  linked?.hidden.forEach((hide, c) => {
    const row = hidden[linkedIndex];
    if (hide && row) row[c] = true;
  });

  // The sums the table shows: each row's cells add up to its total; each column (the totals
  // column too) adds up to the total row.
  const sums: [number, number][][] = all.map((_, r) => Array.from({ length: width + 1 }, (_, c) => [r, c]));
  if (totalRow >= 0) {
    for (let c = 0; c <= width; c++) sums.push(all.map((_, r): [number, number] => [r, c]));
  }
  const isHidden = ([r, c]: [number, number]) => hidden[r]?.[c] === true;
  /** Hide the smallest shown member of a sum (an empty cell last: hiding it hides nothing). */
  const hideSmallestOf = (members: [number, number][]): boolean => {
    const complement = members
      .filter((member) => !isHidden(member))
      .sort(([ra, ca], [rb, cb]) => rank(grid[ra]?.[ca]) - rank(grid[rb]?.[cb]))[0];
    if (!complement) return false;
    (hidden[complement[0]] as boolean[])[complement[1]] = true;
    return true;
  };
  for (;;) {
    // A sum with exactly one hidden member gives it away as the others' difference.
    let changed = true;
    while (changed) {
      changed = false;
      for (const members of sums) {
        if (members.filter(isHidden).length === 1 && hideSmallestOf(members)) changed = true;
      }
    }
    // Several sums together can still give one away (a row minus two columns, say): find any hidden
    // cell the shown sums determine, and hide one more member of a sum it is in, until none is.
    const given = determinedCell(sums, isHidden);
    if (!given) break;
    const widened = sums.filter((members) => members.some(([r, c]) => r === given[0] && c === given[1]));
    if (!widened.some(hideSmallestOf)) break;
  }
  const shown = (row: CountRow, r: number): ShownRow => {
    const enough = row.total.families >= threshold;
    const why = (count: Count, c: number): HiddenAs | null =>
      hidden[r]?.[c] ? (isSmall(count, threshold) ? 'small' : 'protected') : null;
    return {
      key: row.key,
      cells: row.cells.map((count, c) => (hidden[r]?.[c] ? null : count.value)),
      total: hidden[r]?.[width] ? null : row.total.value,
      hiddenAs: row.cells.map(why),
      totalHiddenAs: why(row.total, width),
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

/**
 * A hidden cell that the shown sums determine exactly, if there is one: the hidden cells are the
 * unknowns of the sums; one is determined when the sums, reduced (Gauss-Jordan), hold a row with
 * that unknown alone.
 */
export function determinedCell(
  sums: [number, number][][],
  isHidden: (cell: [number, number]) => boolean,
): [number, number] | null {
  const unknowns = new Map<string, number>();
  const cells: [number, number][] = [];
  for (const members of sums) {
    for (const member of members) {
      const key = `${member[0]},${member[1]}`;
      if (isHidden(member) && !unknowns.has(key)) {
        unknowns.set(key, cells.length);
        cells.push(member);
      }
    }
  }
  const matrix = sums
    .map((members) => {
      const row = cells.map(() => 0);
      for (const [r, c] of members) {
        const i = unknowns.get(`${r},${c}`);
        if (i !== undefined) row[i] = 1;
      }
      return row;
    })
    .filter((row) => row.some((x) => x !== 0));
  let pivotRow = 0;
  for (let col = 0; col < cells.length && pivotRow < matrix.length; col++) {
    const found = matrix.findIndex((row, i) => i >= pivotRow && Math.abs(row[col] as number) > 1e-9);
    if (found < 0) continue;
    [matrix[pivotRow], matrix[found]] = [matrix[found] as number[], matrix[pivotRow] as number[]];
    const pivot = matrix[pivotRow] as number[];
    const scale = pivot[col] as number;
    for (let k = 0; k < pivot.length; k++) pivot[k] = (pivot[k] as number) / scale;
    for (const [i, row] of matrix.entries()) {
      const factor = row[col] as number;
      if (i === pivotRow || Math.abs(factor) < 1e-9) continue;
      for (let k = 0; k < row.length; k++) row[k] = (row[k] as number) - factor * (pivot[k] as number);
    }
    pivotRow++;
  }
  for (const row of matrix) {
    const nonZero = row.flatMap((x, i) => (Math.abs(x) > 1e-9 ? [i] : []));
    if (nonZero.length === 1) return cells[nonZero[0] as number] as [number, number];
  }
  return null;
}

/** A cell built from some families, but fewer than the threshold: hidden for its own sake. */
function isSmall(count: Count, threshold: number): boolean {
  return count.value > 0 && count.families < threshold;
}

/** The complement to prefer: the smallest cell that is not empty (an empty one hides nothing). */
function rank(count: Count | undefined): number {
  if (!count) return Number.POSITIVE_INFINITY;
  return count.value === 0 ? Number.MAX_SAFE_INTEGER : count.value;
}
