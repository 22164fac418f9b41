/**
 * The levels of the Dutch databanks (NJi Databank Effectieve Jeugdinterventies, Loket Gezond
 * Leven), from not assessed to strong evidence — also the administrator's choice list.
 */
export const EVIDENCE_LEVELS = [
  'not_assessed',
  'well_described',
  'well_founded',
  'effective_first',
  'effective_good',
  'effective_strong',
] as const;
