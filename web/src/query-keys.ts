/**
 * Every server-state query's key, in one place (TanStack Query). A key is its name and what it
 * depends on; invalidating a key with fewer parts refreshes every query that starts with them
 * (`queryKeys.consultations()` refreshes each family's consultations too). What a change must
 * refresh is looked up here, not spelled out again.
 */
type Part = string | number | boolean | null | undefined | object;
const key =
  <Name extends string>(name: Name) =>
  (...parts: Part[]) =>
    [name, ...parts] as const;

export const queryKeys = {
  adminAlerts: key('admin-alerts'),
  adminOrganisations: key('admin-organisations'),
  breakGlassLog: key('break-glass-log'),
  caseload: key('caseload'),
  consultations: key('consultations'),
  content: key('content'),
  dataRequests: key('data-requests'),
  demoOutbox: key('demo-outbox'),
  digest: key('digest'),
  family: key('family'),
  fhirClients: key('fhir-clients'),
  figures: key('figures'),
  guide: key('guide'),
  guideResponses: key('guide-responses'),
  guides: key('guides'),
  handovers: key('handovers'),
  handoversSent: key('handovers-sent'),
  homeGuides: key('home-guides'),
  interventions: key('interventions'),
  interventionsFor: key('interventions-for'),
  jgzSchedule: key('jgz-schedule'),
  knowledge: key('knowledge'),
  me: key('me'),
  meldcode: key('meldcode'),
  meldcodeDefinition: key('meldcode-definition'),
  meldcodeRoute: key('meldcode-route'),
  members: key('members'),
  notifications: key('notifications'),
  oidcProviders: key('oidc-providers'),
  organisations: key('organisations'),
  ourConsent: key('our-consent'),
  ourData: key('our-data'),
  ourJourney: key('our-journey'),
  override: key('override'),
  overrides: key('overrides'),
  parentInformation: key('parent-information'),
  parentsAudience: key('parents-audience'),
  picture: key('picture'),
  plan: key('plan'),
  recorded: key('recorded'),
  recoveryCodes: key('recovery-codes'),
  referral: key('referral'),
  referralInbox: key('referral-inbox'),
  referralsSent: key('referrals-sent'),
  safetyMeasures: key('safety-measures'),
  signalCodes: key('signal-codes'),
  tasks: key('tasks'),
  whoLooked: key('who-looked'),
};
