/**
 * Where a task takes its assignee: the item itself where it has a page of its own, otherwise the
 * part of the family record that holds it (the record moves the focus there). One place for both
 * the caseload's task list and the tasks page.
 */
const RECORD_PART: Record<string, string> = {
  second_look: 'wat-speelt-er',
  signal_review: 'wat-speelt-er',
  parents_audience_review: 'wat-speelt-er',
  guide_answered: 'gesprekken',
  help_request: 'overzicht',
  contact_due: 'tijdlijn',
  closing_summary: 'tijdlijn',
  join_request: 'team-en-toestemming',
  regie_handover: 'team-en-toestemming',
  consent_changed: 'team-en-toestemming',
  data_request_to_decide: 'team-en-toestemming',
  safety_measure_review: 'veiligheid',
};

export function taskHref(task: { kind: string; familyId: string | null; sourceId: string | null }): string | null {
  const { kind, familyId, sourceId } = task;
  if (kind === 'handover_to_accept') return '/overdrachten';
  if (kind === 'referral_to_answer' || kind === 'referral_late')
    return `/verwijzingen${sourceId ? `/${sourceId}` : ''}`;
  if (kind === 'consultation_to_answer' || kind === 'consultation_answered') return '/consultaties';
  if (kind === 'meldcode_follow_up' && sourceId) return `/meldcode/${sourceId}`;
  if (kind === 'override_review' && sourceId) return `/delen-zonder-toestemming/${sourceId}`;
  if (kind === 'break_glass_alert') return '/noodtoegang-overzicht';
  if (!familyId) return null;
  const part = RECORD_PART[kind];
  return `/gezinnen/${familyId}${part ? `#${part}` : ''}`;
}
