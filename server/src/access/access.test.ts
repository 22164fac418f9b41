import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Client,
  createTestApp,
  daysFromToday,
  registration,
  seedAccount,
  seedOrganisation,
  seedRegion,
  type TestApp,
} from '../../test/helpers.ts';
import { apiRoutes } from '../app.ts';
import type { AccountKind } from '../database/schema.ts';

/**
 * Every route × every kind of account: what the access decision point must answer. A route added
 * to the app without a row here fails the first test, so nobody adds a route without deciding.
 */
// A system client (FHIR backend services) has no session: it reaches /fhir only, with a bearer
// token — its own tests are in fhir/smart.test.ts.
type Expect = Record<Exclude<AccountKind, 'system'> | 'anonymous', number>;
const all = (status: number): Expect => ({
  professional: status,
  analyst: status,
  parent: status,
  admin: status,
  anonymous: status,
});

interface Case {
  route: string;
  /** The request, given the seeded ids. */
  url: (ids: Ids) => string;
  body?: (ids: Ids) => unknown;
  expect: Expect;
}

interface Ids {
  ownOrganisation: string;
  otherOrganisation: string;
  otherAccount: string;
  /** A family the professional is assigned to, and one of another organisation. */
  ownFamily: string;
  ownParent: string;
  otherParent: string;
  otherFamily: string;
  otherTrajectory: string;
  otherConsent: string;
}

const onlyProfessional = (status: number): Expect => ({
  professional: status,
  analyst: 403,
  parent: 403,
  admin: 403,
  anonymous: 401,
});
const RANDOM_ID = '00000000-0000-4000-8000-00000000abcd';

const CASES: Case[] = [
  { route: 'GET /api/health', url: () => '/api/health', expect: all(200) },
  { route: 'GET /api/ready', url: () => '/api/ready', expect: all(200) },
  { route: 'GET /api/me', url: () => '/api/me', expect: { ...all(200), anonymous: 401 } },
  {
    route: 'PUT /api/me/language',
    url: () => '/api/me/language',
    body: () => ({ language: 'nl' }),
    expect: { ...all(200), anonymous: 401 },
  },
  { route: 'GET /api/me/digest', url: () => '/api/me/digest', expect: { ...all(200), anonymous: 401 } },
  {
    route: 'PUT /api/me/digest',
    url: () => '/api/me/digest',
    body: () => ({ enabled: true }),
    expect: { ...all(200), anonymous: 401 },
  },
  {
    route: 'GET /api/me/recovery-codes',
    url: () => '/api/me/recovery-codes',
    expect: { ...all(200), anonymous: 401 },
  },
  {
    // Only with an authenticator app, which the matrix's accounts have not connected.
    route: 'POST /api/me/recovery-codes',
    url: () => '/api/me/recovery-codes',
    expect: { ...all(403), anonymous: 401 },
  },
  {
    route: 'GET /api/organisations',
    url: () => '/api/organisations',
    expect: { professional: 200, analyst: 200, parent: 403, admin: 200, anonymous: 401 },
  },
  { route: 'GET /fhir/metadata', url: () => '/fhir/metadata', expect: all(200) },
  {
    // A person of the professional's own family; another team's is not found.
    route: 'GET /fhir/:type/:id',
    url: (ids) => `/fhir/Patient/${ids.ownParent}`,
    expect: onlyProfessional(200),
  },
  {
    route: 'GET /fhir/:type/:id',
    url: function otherFamily(ids) {
      return `/fhir/Patient/${ids.otherParent}`;
    },
    expect: onlyProfessional(404),
  },
  {
    // The family as a whole: the same rule for every type made from the record.
    route: 'GET /fhir/:type/:id',
    url: function otherFamilyGroup(ids) {
      return `/fhir/Group/${ids.otherFamily}`;
    },
    expect: onlyProfessional(404),
  },
  {
    // An earlier version of a signal: the same reach as the signal itself.
    route: 'GET /fhir/:type/:id/_history/:versionId',
    url: (ids) => `/fhir/Observation/${ids.otherFamily}/_history/1`,
    expect: onlyProfessional(404),
  },
  { route: 'GET /fhir/:type', url: () => '/fhir/Patient?name=a', expect: onlyProfessional(200) },
  { route: 'GET /fhir/:type', url: () => '/fhir/Observation', expect: onlyProfessional(200) },
  {
    route: 'POST /fhir/:type/_search',
    url: () => '/fhir/Encounter/_search',
    body: () => ({ _count: '1' }),
    expect: onlyProfessional(200),
  },
  {
    // A signal about a parent of the own family, through the web app's own command.
    route: 'POST /fhir/:type',
    url: () => '/fhir/Observation',
    body: (ids) => ({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'urn:kring:signal-code', code: 'supportive_network' }] },
      subject: { reference: `Patient/${ids.ownParent}` },
      method: { coding: [{ system: 'urn:kring:signal-source', code: 'observed' }] },
    }),
    expect: onlyProfessional(201),
  },
  {
    // An update names the version it was read at (If-Match); without it, nothing changes.
    route: 'PUT /fhir/:type/:id',
    url: (ids) => `/fhir/Task/${ids.otherOrganisation}`,
    body: () => ({ resourceType: 'Task', status: 'accepted' }),
    expect: onlyProfessional(428),
  },
  {
    route: 'GET /fhir/:type/:id',
    url: (ids) => `/fhir/Organization/${ids.otherOrganisation}`,
    expect: { professional: 200, analyst: 200, parent: 403, admin: 200, anonymous: 401 },
  },
  {
    route: 'GET /fhir/:type',
    url: () => '/fhir/Organization',
    expect: { professional: 200, analyst: 200, parent: 403, admin: 200, anonymous: 401 },
  },
  {
    // The professionals one works with; an administrator sees every professional.
    route: 'GET /fhir/:type',
    url: () => '/fhir/Practitioner',
    expect: { professional: 200, analyst: 403, parent: 403, admin: 200, anonymous: 401 },
  },
  // SMART backend services: how to get a token is public; a token needs a signed assertion.
  {
    route: 'GET /fhir/.well-known/smart-configuration',
    url: () => '/fhir/.well-known/smart-configuration',
    expect: all(200),
  },
  { route: 'POST /fhir/auth/token', url: () => '/fhir/auth/token', body: () => ({}), expect: all(400) },
  {
    route: 'GET /api/admin/fhir-clients',
    url: () => '/api/admin/fhir-clients',
    expect: { professional: 403, analyst: 403, parent: 403, admin: 200, anonymous: 401 },
  },
  {
    route: 'POST /api/admin/fhir-clients',
    url: () => '/api/admin/fhir-clients',
    body: (ids) => ({
      organisationId: ids.ownOrganisation,
      name: 'Praktijksysteem',
      jwks: { keys: [generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' })] },
    }),
    expect: { professional: 403, analyst: 403, parent: 403, admin: 201, anonymous: 401 },
  },
  {
    route: 'POST /api/admin/fhir-clients/:clientId/deactivate',
    url: (ids) => `/api/admin/fhir-clients/${ids.otherOrganisation}/deactivate`,
    expect: { professional: 403, analyst: 403, parent: 403, admin: 404, anonymous: 401 },
  },
  // Bulk export: a kick-off must ask for an asynchronous answer; an export is its asker's only.
  { route: 'GET /fhir/$export', url: () => '/fhir/$export', expect: onlyProfessional(400) },
  { route: 'GET /fhir/Patient/$export', url: () => '/fhir/Patient/$export', expect: onlyProfessional(400) },
  {
    route: 'GET /fhir/Group/:id/$export',
    url: (ids) => `/fhir/Group/${ids.otherFamily}/$export`,
    expect: onlyProfessional(400),
  },
  {
    route: 'GET /fhir/$export-status/:exportId',
    url: (ids) => `/fhir/$export-status/${ids.otherFamily}`,
    expect: onlyProfessional(404),
  },
  {
    route: 'DELETE /fhir/$export-status/:exportId',
    url: (ids) => `/fhir/$export-status/${ids.otherFamily}`,
    expect: onlyProfessional(404),
  },
  {
    route: 'GET /fhir/$export-file/:exportId/:part',
    url: (ids) => `/fhir/$export-file/${ids.otherFamily}/1`,
    expect: onlyProfessional(404),
  },
  {
    // Aggregates of the analyst's own municipality, nothing else.
    route: 'GET /api/figures',
    url: () => '/api/figures',
    expect: { professional: 403, analyst: 200, parent: 403, admin: 403, anonymous: 401 },
  },
  {
    route: 'GET /api/organisations/:id/members',
    url: (ids) => `/api/organisations/${ids.ownOrganisation}/members`,
    expect: { professional: 200, analyst: 403, parent: 403, admin: 200, anonymous: 401 },
  },
  {
    route: 'GET /api/organisations/:id/members',
    url: (ids) => `/api/organisations/${ids.otherOrganisation}/members`,
    expect: { professional: 403, analyst: 403, parent: 403, admin: 200, anonymous: 401 },
  },
  {
    route: 'GET /api/organisations/:id/jgz-schedule',
    url: (ids) => `/api/organisations/${ids.ownOrganisation}/jgz-schedule`,
    expect: { professional: 200, analyst: 200, parent: 403, admin: 200, anonymous: 401 },
  },
  {
    route: 'PUT /api/organisations/:id/jgz-schedule',
    url: (ids) => `/api/organisations/${ids.ownOrganisation}/jgz-schedule`,
    body: () => ({ moments: null, version: 0 }),
    expect: { professional: 403, analyst: 403, parent: 403, admin: 200, anonymous: 401 },
  },
  {
    route: 'GET /api/accounts/:id',
    url: (ids) => `/api/accounts/${ids.otherAccount}`,
    expect: { professional: 404, analyst: 403, parent: 403, admin: 200, anonymous: 401 },
  },
  {
    route: 'GET /api/audit-events',
    url: () => '/api/audit-events',
    expect: { professional: 403, analyst: 403, parent: 403, admin: 200, anonymous: 401 },
  },
  {
    route: 'POST /api/audit-events/verify',
    url: () => '/api/audit-events/verify',
    expect: { professional: 403, analyst: 403, parent: 403, admin: 200, anonymous: 401 },
  },
  {
    route: 'POST /api/families',
    url: () => '/api/families',
    body: () => registration({ caregivers: [] }),
    expect: onlyProfessional(201),
  },
  {
    route: 'POST /api/families/search',
    url: () => '/api/families/search',
    body: () => ({ query: 'zz' }),
    expect: onlyProfessional(200),
  },
  {
    route: 'POST /api/families/join-requests',
    url: () => '/api/families/join-requests',
    body: () => ({ bsn: '999999990' }),
    expect: onlyProfessional(200),
  },
  {
    route: 'POST /api/families/take-over',
    url: () => '/api/families/take-over',
    body: () => ({ bsn: '999999990', reason: 'collega met verlof' }),
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/tasks/:taskId/accept-join',
    url: () => `/api/tasks/${RANDOM_ID}/accept-join`,
    body: () => ({ version: 1, consent: { categories: ['medical'], givenHow: 'verbal' } }),
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/tasks/:taskId/decline-join',
    url: () => `/api/tasks/${RANDOM_ID}/decline-join`,
    body: () => ({ version: 1 }),
    expect: onlyProfessional(404),
  },
  { route: 'GET /api/caseload', url: () => '/api/caseload', expect: onlyProfessional(200) },
  { route: 'GET /api/signal-codes', url: () => '/api/signal-codes', expect: onlyProfessional(200) },
  { route: 'GET /api/guides', url: () => '/api/guides', expect: onlyProfessional(200) },
  { route: 'GET /api/knowledge', url: () => '/api/knowledge', expect: { ...all(200), anonymous: 401 } },
  {
    route: 'GET /api/parent-information',
    url: () => '/api/parent-information',
    expect: { ...all(200), anonymous: 401 },
  },
  {
    route: 'GET /api/families/:familyId/guides/:guideKey',
    url: (ids) => `/api/families/${ids.otherFamily}/guides/phq9`,
    expect: onlyProfessional(404),
  },
  {
    route: 'GET /api/families/:familyId/guide-responses',
    url: (ids) => `/api/families/${ids.ownFamily}/guide-responses`,
    expect: onlyProfessional(200),
  },
  {
    route: 'POST /api/families/:familyId/guide-responses',
    url: (ids) => `/api/families/${ids.otherFamily}/guide-responses`,
    body: () => ({ guideKey: 'phq2', concernsPersonId: null, answers: [{ code: 'phq.interest', value: '0' }] }),
    expect: onlyProfessional(404),
  },
  {
    route: 'GET /api/families/:familyId/picture',
    url: (ids) => `/api/families/${ids.ownFamily}/picture`,
    expect: onlyProfessional(200),
  },
  {
    route: 'GET /api/families/:familyId/picture',
    url: (ids) => `/api/families/${ids.otherFamily}/picture`,
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/signals',
    url: (ids) => `/api/families/${ids.otherFamily}/signals`,
    body: () => ({ code: 'isolation', source: 'observed' }),
    expect: onlyProfessional(404),
  },
  {
    route: 'PUT /api/families/:familyId/signals/:signalId',
    url: (ids) => `/api/families/${ids.otherFamily}/signals/${RANDOM_ID}`,
    body: () => ({ source: 'observed', version: 1 }),
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/signals/:signalId/end',
    url: (ids) => `/api/families/${ids.otherFamily}/signals/${RANDOM_ID}/end`,
    body: () => ({ version: 1 }),
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/judgements',
    url: (ids) => `/api/families/${ids.otherFamily}/judgements`,
    body: () => ({ stressLevel: 'normal', intensity: 'ordinary', rationale: 'Gewone zorg volstaat hier.' }),
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/judgements/:judgementId/second-look',
    url: (ids) => `/api/families/${ids.otherFamily}/judgements/${RANDOM_ID}/second-look`,
    body: () => ({ decision: 'agree', version: 1 }),
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/signals/:signalId/confirm',
    url: (ids) => `/api/families/${ids.otherFamily}/signals/${RANDOM_ID}/confirm`,
    body: () => ({ version: 1 }),
    expect: onlyProfessional(404),
  },
  {
    route: 'GET /api/families/:familyId',
    url: (ids) => `/api/families/${ids.ownFamily}`,
    expect: onlyProfessional(200),
  },
  {
    route: 'GET /api/families/:familyId',
    url: (ids) => `/api/families/${ids.otherFamily}`,
    expect: onlyProfessional(404),
  },
  {
    route: 'GET /api/families/:familyId/audit-events',
    url: (ids) => `/api/families/${ids.ownFamily}/audit-events`,
    expect: onlyProfessional(200),
  },
  {
    route: 'GET /api/families/:familyId/audit-events',
    url: (ids) => `/api/families/${ids.otherFamily}/audit-events`,
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/contacts',
    url: (ids) => `/api/families/${ids.ownFamily}/contacts`,
    body: () => ({ occurredOn: daysFromToday(0), kind: 'phone_video' }),
    expect: onlyProfessional(201),
  },
  {
    route: 'POST /api/families/:familyId/contacts',
    url: (ids) => `/api/families/${ids.otherFamily}/contacts`,
    body: () => ({ occurredOn: daysFromToday(0), kind: 'phone_video' }),
    expect: onlyProfessional(404),
  },
  {
    route: 'GET /api/families/:familyId/safety-measures',
    url: (ids) => `/api/families/${ids.ownFamily}/safety-measures`,
    expect: onlyProfessional(200),
  },
  {
    route: 'GET /api/families/:familyId/safety-measures',
    url: (ids) => `/api/families/${ids.otherFamily}/safety-measures`,
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/safety-measures',
    url: (ids) => `/api/families/${ids.otherFamily}/safety-measures`,
    body: (ids) => ({ kind: 'portal_paused', personId: ids.ownParent, reason: 'Dreiging naar moeder' }),
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/safety-measures',
    url: (ids) => `/api/families/${ids.ownFamily}/safety-measures`,
    body: (ids) => ({ kind: 'portal_paused', personId: ids.ownParent, reason: 'Dreiging naar moeder' }),
    expect: onlyProfessional(201),
  },
  {
    route: 'POST /api/families/:familyId/safety-measures/:measureId/review',
    url: (ids) => `/api/families/${ids.ownFamily}/safety-measures/${RANDOM_ID}/review`,
    body: () => ({ note: 'Terecht' }),
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/safety-measures/:measureId/end',
    url: (ids) => `/api/families/${ids.otherFamily}/safety-measures/${RANDOM_ID}/end`,
    body: () => ({ reason: 'Situatie veilig', version: 1 }),
    expect: onlyProfessional(404),
  },
  {
    route: 'GET /api/families/:familyId/parents-audience',
    url: (ids) => `/api/families/${ids.ownFamily}/parents-audience?concernsPersonId=${ids.ownParent}`,
    expect: onlyProfessional(200),
  },
  {
    route: 'GET /api/families/:familyId/parents-audience',
    url: (ids) => `/api/families/${ids.otherFamily}/parents-audience`,
    expect: onlyProfessional(404),
  },
  {
    route: 'PUT /api/families/:familyId/parents-audience/:recordType/:recordId',
    url: (ids) => `/api/families/${ids.ownFamily}/parents-audience/signal/${RANDOM_ID}`,
    body: () => ({ persons: [], reason: 'niet voor de partner' }),
    expect: onlyProfessional(404),
  },
  {
    route: 'PUT /api/families/:familyId/parents-audience/:recordType/:recordId',
    url: (ids) => `/api/families/${ids.otherFamily}/parents-audience/contact/${RANDOM_ID}`,
    body: () => ({ persons: [], reason: 'niet voor de partner' }),
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/consents',
    url: (ids) => `/api/families/${ids.ownFamily}/consents`,
    body: (ids) => ({ purpose: 'municipal_figures', personId: ids.ownParent, givenHow: 'verbal' }),
    expect: onlyProfessional(201),
  },
  {
    route: 'POST /api/families/:familyId/consents/:consentId/withdraw',
    url: (ids) => `/api/families/${ids.otherFamily}/consents/${ids.otherConsent}/withdraw`,
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/pregnancies',
    url: (ids) => `/api/families/${ids.otherFamily}/pregnancies`,
    body: () => ({ dueDate: daysFromToday(200) }),
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/trajectories/:trajectoryId/birth',
    url: (ids) => `/api/families/${ids.otherFamily}/trajectories/${ids.otherTrajectory}/birth`,
    body: () => ({ birthDate: daysFromToday(0), birthWeightGrams: 3000, birthPlace: 'home', version: 1 }),
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/trajectories/:trajectoryId/pregnancy-ended',
    url: (ids) => `/api/families/${ids.otherFamily}/trajectories/${ids.otherTrajectory}/pregnancy-ended`,
    body: () => ({ endedOn: daysFromToday(0), version: 1 }),
    expect: onlyProfessional(404),
  },
  {
    route: 'PUT /api/families/:familyId/persons/:personId/protection-measure',
    url: (ids) => `/api/families/${ids.otherFamily}/persons/${ids.ownParent}/protection-measure`,
    body: () => ({ measure: null, version: 1 }),
    expect: onlyProfessional(404),
  },
  {
    route: 'PUT /api/families/:familyId/persons/:personId/parental-authority',
    url: (ids) => `/api/families/${ids.otherFamily}/persons/${ids.ownParent}/parental-authority`,
    body: () => ({ holders: [], reason: 'uitspraak van de rechter', version: 1 }),
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/team/assign-self',
    url: (ids) => `/api/families/${ids.otherFamily}/team/assign-self`,
    body: () => ({ reason: 'collega ziek' }),
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/handovers',
    url: (ids) => `/api/families/${ids.otherFamily}/handovers`,
    body: (ids) => ({
      toOrganisationId: ids.ownOrganisation,
      summary: 'Een overdracht die niet mag.',
      consent: { categories: ['medical'], givenHow: 'verbal' },
    }),
    expect: onlyProfessional(404),
  },
  { route: 'GET /api/handovers/incoming', url: () => '/api/handovers/incoming', expect: onlyProfessional(200) },
  {
    route: 'POST /api/handovers/:handoverId/accept',
    url: () => `/api/handovers/${RANDOM_ID}/accept`,
    body: () => ({ version: 1 }),
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/handovers/:handoverId/decline',
    url: () => `/api/handovers/${RANDOM_ID}/decline`,
    body: () => ({ version: 1 }),
    expect: onlyProfessional(404),
  },
  { route: 'GET /api/tasks', url: () => '/api/tasks', expect: onlyProfessional(200) },
  {
    route: 'GET /api/interventions',
    url: () => '/api/interventions',
    expect: { ...onlyProfessional(200), admin: 200 },
  },
  {
    route: 'POST /api/interventions/import',
    url: () => '/api/interventions/import',
    body: () => ({ csv: 'key\n' }),
    expect: { professional: 403, analyst: 403, parent: 403, admin: 400, anonymous: 401 },
  },
  {
    route: 'PUT /api/interventions/:interventionKey/offer',
    url: () => '/api/interventions/no_such_intervention/offer',
    body: () => ({ waitingWeeks: 2, capacityPerMonth: 4, contact: '0800-1234' }),
    expect: onlyProfessional(404),
  },
  {
    route: 'GET /api/families/:familyId/interventions',
    url: (ids) => `/api/families/${ids.otherFamily}/interventions`,
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/referrals',
    url: (ids) => `/api/families/${ids.otherFamily}/referrals`,
    body: (ids) => ({
      idempotencyKey: RANDOM_ID,
      toOrganisationId: ids.ownOrganisation,
      interventionKey: null,
      reason: 'Graag beoordeling van de situatie',
      urgency: 'routine',
      sharedCategories: ['social'],
    }),
    expect: onlyProfessional(404),
  },
  {
    route: 'GET /api/families/:familyId/plan',
    url: (ids) => `/api/families/${ids.otherFamily}/plan`,
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/plan/goals',
    url: (ids) => `/api/families/${ids.otherFamily}/plan/goals`,
    body: (ids) => ({ goal: 'Meer rust in huis', owner: { personId: ids.ownParent }, evaluateOn: '2027-01-01' }),
    expect: onlyProfessional(404),
  },
  {
    route: 'PUT /api/families/:familyId/plan/goals/:goalId',
    url: (ids) => `/api/families/${ids.otherFamily}/plan/goals/${RANDOM_ID}`,
    body: () => ({ status: 'open', version: 1 }),
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/plan/goals/:goalId/actions',
    url: (ids) => `/api/families/${ids.otherFamily}/plan/goals/${RANDOM_ID}/actions`,
    body: (ids) => ({ action: 'Samen een weekritme maken', owner: { personId: ids.ownParent } }),
    expect: onlyProfessional(404),
  },
  {
    route: 'PUT /api/families/:familyId/plan/actions/:actionId',
    url: (ids) => `/api/families/${ids.otherFamily}/plan/actions/${RANDOM_ID}`,
    body: () => ({ status: 'done', version: 1 }),
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/consultations',
    url: () => '/api/consultations',
    body: (ids) => ({
      consultedOrganisationId: ids.otherOrganisation,
      question: 'Hoe gaan jullie om met een moeder die geen hulp wil?',
      familyId: ids.otherFamily,
    }),
    expect: onlyProfessional(404),
  },
  { route: 'GET /api/consultations', url: () => '/api/consultations', expect: onlyProfessional(200) },
  {
    route: 'POST /api/consultations/:consultationId/answer',
    url: () => `/api/consultations/${RANDOM_ID}/answer`,
    body: () => ({ answer: 'Bel ons even.', version: 1 }),
    expect: onlyProfessional(404),
  },
  {
    route: 'GET /api/families/:familyId/consultations',
    url: (ids) => `/api/families/${ids.otherFamily}/consultations`,
    expect: onlyProfessional(404),
  },
  { route: 'GET /api/meldcode', url: () => '/api/meldcode', expect: onlyProfessional(200) },
  {
    route: 'GET /api/families/:familyId/meldcode',
    url: (ids) => `/api/families/${ids.otherFamily}/meldcode`,
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/meldcode',
    url: (ids) => `/api/families/${ids.otherFamily}/meldcode`,
    body: () => ({ reason: 'Blauwe plekken gezien bij de baby' }),
    expect: onlyProfessional(404),
  },
  {
    route: 'GET /api/meldcode/:routeId',
    url: () => `/api/meldcode/${RANDOM_ID}`,
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/meldcode/:routeId/steps',
    url: () => `/api/meldcode/${RANDOM_ID}/steps`,
    body: () => ({ step: 1, happenedOn: '2026-01-01', signalIds: [RANDOM_ID], note: 'Gezien bij huisbezoek' }),
    expect: onlyProfessional(404),
  },
  {
    route: 'PUT /api/meldcode/:routeId/parents-visibility',
    url: () => `/api/meldcode/${RANDOM_ID}/parents-visibility`,
    body: () => ({ shownToParents: true, reason: 'Besproken met de ouders', version: 1 }),
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/emergency-access',
    url: () => '/api/emergency-access',
    body: () => ({ bsn: '999999990', reason: 'Acute zorgen om de veiligheid van de baby vannacht' }),
    expect: onlyProfessional(404),
  },
  {
    route: 'GET /api/families/:familyId/consent-overrides',
    url: (ids) => `/api/families/${ids.otherFamily}/consent-overrides`,
    expect: onlyProfessional(404),
  },
  {
    route: 'GET /api/consent-overrides/:overrideId',
    url: () => `/api/consent-overrides/${RANDOM_ID}`,
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/consent-overrides/:overrideId/inform-parents',
    url: (ids) => `/api/families/${ids.otherFamily}/consent-overrides/${RANDOM_ID}/inform-parents`,
    body: () => ({ reason: 'Besproken met de moeder' }),
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/consent-overrides/:overrideId/review',
    url: (ids) => `/api/families/${ids.otherFamily}/consent-overrides/${RANDOM_ID}/review`,
    body: () => ({ note: 'Terecht gebruikt' }),
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/invitations',
    url: () => '/api/invitations',
    body: () => ({
      email: 'nieuw@example.test',
      name: 'Nieuwe Collega',
      organisationId: RANDOM_ID,
      discipline: 'jeugdverpleegkundige',
    }),
    expect: { professional: 403, analyst: 403, parent: 403, admin: 400, anonymous: 401 },
  },
  {
    route: 'POST /api/accounts/:id/offboard',
    url: () => `/api/accounts/${RANDOM_ID}/offboard`,
    body: () => ({}),
    expect: { professional: 403, analyst: 403, parent: 403, admin: 404, anonymous: 401 },
  },
  {
    route: 'GET /api/admin/organisations',
    url: () => '/api/admin/organisations',
    expect: { professional: 403, analyst: 403, parent: 403, admin: 200, anonymous: 401 },
  },
  {
    route: 'POST /api/admin/organisations',
    url: () => '/api/admin/organisations',
    body: () => ({ name: 'Nieuwe praktijk', type: 'verloskundigenpraktijk' }),
    expect: { professional: 403, analyst: 403, parent: 403, admin: 201, anonymous: 401 },
  },
  {
    route: 'PUT /api/admin/organisations/:id',
    url: () => `/api/admin/organisations/${RANDOM_ID}`,
    body: () => ({ name: 'Nieuwe praktijk', type: 'verloskundigenpraktijk', active: true, version: 1 }),
    expect: { professional: 403, analyst: 403, parent: 403, admin: 404, anonymous: 401 },
  },
  {
    route: 'PUT /api/accounts/:id/role',
    url: () => `/api/accounts/${RANDOM_ID}/role`,
    body: () => ({ discipline: 'jeugdarts' }),
    expect: { professional: 403, analyst: 403, parent: 403, admin: 404, anonymous: 401 },
  },
  {
    route: 'POST /api/accounts/:id/second-factor/reset',
    url: () => `/api/accounts/${RANDOM_ID}/second-factor/reset`,
    expect: { professional: 403, analyst: 403, parent: 403, admin: 404, anonymous: 401 },
  },
  {
    route: 'GET /api/audit-events/export',
    url: () => '/api/audit-events/export?from=2026-01-01',
    expect: { professional: 403, analyst: 403, parent: 403, admin: 200, anonymous: 401 },
  },
  {
    route: 'GET /api/families/:familyId/data-requests',
    url: (ids) => `/api/families/${ids.otherFamily}/data-requests`,
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/data-requests',
    url: (ids) => `/api/families/${ids.otherFamily}/data-requests`,
    body: () => ({ kind: 'correction', recordType: 'other', text: 'Graag corrigeren.' }),
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/families/:familyId/data-requests/:requestId/decision',
    url: (ids) => `/api/families/${ids.otherFamily}/data-requests/${RANDOM_ID}/decision`,
    body: () => ({ decision: 'granted', reason: 'Gecorrigeerd zoals gevraagd.', version: 1 }),
    expect: onlyProfessional(404),
  },
  {
    route: 'PUT /api/admin/organisations/:organisationId/identity-provider',
    url: () => `/api/admin/organisations/${RANDOM_ID}/identity-provider`,
    body: () => ({ issuer: 'http://127.0.0.1:9/', clientId: 'kring', clientSecret: 'a-secret-of-some-length' }),
    expect: { professional: 403, analyst: 403, parent: 403, admin: 404, anonymous: 401 },
  },
  {
    route: 'DELETE /api/admin/organisations/:organisationId/identity-provider',
    url: () => `/api/admin/organisations/${RANDOM_ID}/identity-provider`,
    expect: { professional: 403, analyst: 403, parent: 403, admin: 404, anonymous: 401 },
  },
  {
    route: 'GET /api/admin/content',
    url: () => '/api/admin/content',
    expect: { professional: 403, analyst: 403, parent: 403, admin: 200, anonymous: 401 },
  },
  {
    route: 'GET /api/admin/content/:kind',
    url: () => '/api/admin/content/knowledge',
    expect: { professional: 403, analyst: 403, parent: 403, admin: 200, anonymous: 401 },
  },
  {
    route: 'GET /api/admin/content/:kind/versions/:version',
    url: () => '/api/admin/content/knowledge/versions/7',
    expect: { professional: 403, analyst: 403, parent: 403, admin: 404, anonymous: 401 },
  },
  {
    route: 'POST /api/admin/content/:kind/validate',
    url: () => '/api/admin/content/knowledge/validate',
    body: () => ({ document: { cards: [] } }),
    expect: { professional: 403, analyst: 403, parent: 403, admin: 200, anonymous: 401 },
  },
  {
    route: 'POST /api/admin/content/:kind',
    url: () => '/api/admin/content/knowledge',
    body: () => ({ document: { cards: [] }, note: 'Een test zonder kaarten' }),
    expect: { professional: 403, analyst: 403, parent: 403, admin: 400, anonymous: 401 },
  },
  {
    route: 'POST /api/families/:familyId/parent-invitations',
    url: (ids) => `/api/families/${ids.otherFamily}/parent-invitations`,
    body: () => ({ personId: RANDOM_ID }),
    expect: onlyProfessional(404),
  },
  {
    // Parents only; the matrix's parent account is linked to no family yet.
    route: 'GET /api/portal/journey',
    url: () => '/api/portal/journey',
    expect: { professional: 403, analyst: 403, parent: 404, admin: 403, anonymous: 401 },
  },
  {
    route: 'POST /api/families/:familyId/guide-requests',
    url: (ids) => `/api/families/${ids.otherFamily}/guide-requests`,
    body: () => ({ guideKey: 'prenatal_attachment', personId: RANDOM_ID }),
    expect: onlyProfessional(404),
  },
  {
    route: 'GET /api/portal/guides',
    url: () => '/api/portal/guides',
    expect: { professional: 403, analyst: 403, parent: 404, admin: 403, anonymous: 401 },
  },
  {
    route: 'POST /api/portal/guides/:requestId',
    url: () => `/api/portal/guides/${RANDOM_ID}`,
    body: () => ({ answers: [] }),
    expect: { professional: 403, analyst: 403, parent: 404, admin: 403, anonymous: 401 },
  },
  {
    route: 'POST /api/portal/data-requests',
    url: () => '/api/portal/data-requests',
    body: () => ({ kind: 'correction', text: 'Dit klopt niet.' }),
    expect: { professional: 403, analyst: 403, parent: 404, admin: 403, anonymous: 401 },
  },
  {
    route: 'GET /api/portal/export',
    url: () => '/api/portal/export',
    expect: { professional: 403, analyst: 403, parent: 404, admin: 403, anonymous: 401 },
  },
  {
    route: 'GET /api/portal/recorded',
    url: () => '/api/portal/recorded',
    expect: { professional: 403, analyst: 403, parent: 404, admin: 403, anonymous: 401 },
  },
  {
    route: 'PUT /api/portal/recorded/judgements/:judgementId/view',
    url: () => `/api/portal/recorded/judgements/${RANDOM_ID}/view`,
    body: () => ({ view: 'Zo zien wij het.' }),
    expect: { professional: 403, analyst: 403, parent: 404, admin: 403, anonymous: 401 },
  },
  {
    route: 'PUT /api/portal/recorded/signals/:signalId/view',
    url: () => `/api/portal/recorded/signals/${RANDOM_ID}/view`,
    body: () => ({ view: 'Zo zien wij het.' }),
    expect: { professional: 403, analyst: 403, parent: 404, admin: 403, anonymous: 401 },
  },
  {
    route: 'POST /api/portal/help',
    url: () => '/api/portal/help',
    body: () => ({ text: 'We willen graag hulp bij het slapen.' }),
    expect: { professional: 403, analyst: 403, parent: 404, admin: 403, anonymous: 401 },
  },
  {
    route: 'PUT /api/portal/family-sharing',
    url: () => '/api/portal/family-sharing',
    body: () => ({ toPersonId: RANDOM_ID, shared: true }),
    expect: { professional: 403, analyst: 403, parent: 404, admin: 403, anonymous: 401 },
  },
  {
    route: 'GET /api/portal/who-looked',
    url: () => '/api/portal/who-looked',
    expect: { professional: 403, analyst: 403, parent: 404, admin: 403, anonymous: 401 },
  },
  {
    route: 'GET /api/portal/consent',
    url: () => '/api/portal/consent',
    expect: { professional: 403, analyst: 403, parent: 404, admin: 403, anonymous: 401 },
  },
  {
    route: 'PUT /api/portal/consent',
    url: () => '/api/portal/consent',
    body: () => ({ organisationId: RANDOM_ID, category: 'social', given: false }),
    expect: { professional: 403, analyst: 403, parent: 404, admin: 403, anonymous: 401 },
  },
  {
    route: 'GET /api/admin/break-glass',
    url: () => '/api/admin/break-glass',
    expect: { professional: 403, analyst: 403, parent: 403, admin: 200, anonymous: 401 },
  },
  {
    route: 'GET /api/admin/alerts',
    url: () => '/api/admin/alerts',
    expect: { professional: 403, analyst: 403, parent: 403, admin: 200, anonymous: 401 },
  },
  {
    route: 'POST /api/admin/alerts/:taskId/acknowledge',
    url: () => `/api/admin/alerts/${RANDOM_ID}/acknowledge`,
    expect: { professional: 403, analyst: 403, parent: 403, admin: 404, anonymous: 401 },
  },
  {
    route: 'GET /api/demo/outbox',
    url: () => '/api/demo/outbox',
    expect: { professional: 403, analyst: 403, parent: 403, admin: 200, anonymous: 401 },
  },
  { route: 'GET /api/referrals/inbox', url: () => '/api/referrals/inbox', expect: onlyProfessional(200) },
  { route: 'GET /api/referrals/sent', url: () => '/api/referrals/sent', expect: onlyProfessional(200) },
  { route: 'GET /api/handovers/sent', url: () => '/api/handovers/sent', expect: onlyProfessional(200) },
  {
    route: 'GET /api/referrals/:referralId',
    url: () => `/api/referrals/${RANDOM_ID}`,
    expect: onlyProfessional(404),
  },
  {
    route: 'POST /api/referrals/:referralId/status',
    url: () => `/api/referrals/${RANDOM_ID}/status`,
    body: () => ({ status: 'received', version: 1 }),
    expect: onlyProfessional(404),
  },
  { route: 'GET /api/notifications', url: () => '/api/notifications', expect: { ...all(200), anonymous: 401 } },
  {
    route: 'POST /api/notifications/read',
    url: () => '/api/notifications/read',
    expect: { ...all(200), anonymous: 401 },
  },
  {
    // One's own notification: another's id changes nothing (and says nothing).
    route: 'POST /api/notifications/:notificationId/read',
    url: () => `/api/notifications/${RANDOM_ID}/read`,
    expect: { ...all(200), anonymous: 401 },
  },
];

// Sign-in routes are the way in, not data: their own tests (log-in.test.ts) cover them.
const SIGN_IN_ROUTES = new Set([
  'POST /api/auth/login',
  'POST /api/auth/parent-invitation',
  'GET /api/auth/oidc/providers',
  'GET /api/auth/oidc/:organisationId/start',
  'GET /api/auth/oidc/callback',
  'POST /api/auth/second-factor',
  'POST /api/auth/second-factor/recovery',
  'POST /api/auth/second-factor/enrolment',
  'POST /api/auth/second-factor/enrolment/confirm',
  'POST /api/auth/enrolment-link',
  'POST /api/auth/enrolment-link/confirm',
  'POST /api/auth/logout',
  'POST /api/auth/invitation',
  'POST /api/auth/password-reset',
  'POST /api/auth/password-reset/confirm',
]);

let t: TestApp;
let ids: Ids;
const clients: Partial<Record<AccountKind | 'anonymous', Client>> = {};

beforeAll(async () => {
  t = await createTestApp();
  const ownOrganisation = await seedOrganisation(t.db, 'jgz');
  const otherOrganisation = await seedOrganisation(t.db, 'wijkteam');
  const other = await seedAccount(t.db, { kind: 'professional', organisationId: otherOrganisation });
  const region = await seedRegion(t.db);
  const otherClient = await t.signIn(other.email);
  const otherFamily = (await otherClient.post('/api/families', registration())).json().familyId;
  const otherRecord = (await otherClient.get(`/api/families/${otherFamily}`)).json();
  ids = {
    ownOrganisation,
    otherOrganisation,
    otherAccount: other.id,
    ownFamily: '',
    ownParent: '',
    otherParent: otherRecord.persons[0].id,
    otherFamily,
    otherTrajectory: otherRecord.trajectories[0].id,
    otherConsent: otherRecord.consent.entries[0].id,
  };
  const accounts = {
    professional: await seedAccount(t.db, { kind: 'professional', organisationId: ownOrganisation }),
    analyst: await seedAccount(t.db, { kind: 'analyst' }),
    parent: await seedAccount(t.db, { kind: 'parent' }),
    admin: await seedAccount(t.db, { kind: 'admin' }),
  };
  await t.db
    .updateTable('organisations')
    .set({ municipality_id: region.municipalityId })
    .where('id', '=', accounts.analyst.organisationId as string)
    .execute();
  for (const [kind, account] of Object.entries(accounts)) {
    clients[kind as AccountKind] = await t.signIn(account.email);
  }
  clients.anonymous = t.anonymous();
  const professional = clients.professional as Client;
  ids.ownFamily = (await professional.post('/api/families', registration({ caregivers: [] }))).json().familyId;
  ids.ownParent = (await professional.get(`/api/families/${ids.ownFamily}`)).json().persons[0].id;
});
afterAll(() => t.close());

async function refusedCount() {
  const row = await t.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('outcome', '=', 'refused')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('access decisions, route × kind of account', () => {
  it('has a decision for every route of the app', () => {
    const decided = new Set(CASES.map((c) => c.route));
    const undecided = apiRoutes
      .map((route) => `${route.method} ${route.url}`)
      .filter((key) => !decided.has(key) && !SIGN_IN_ROUTES.has(key));
    expect(undecided).toEqual([]);
  });

  for (const testCase of CASES) {
    for (const kind of ['professional', 'analyst', 'parent', 'admin', 'anonymous'] as const) {
      const status = testCase.expect[kind];
      it(`${testCase.route} (${testCase.url.name || 'url'}) as ${kind} → ${status}`, async () => {
        const client = clients[kind] as Client;
        const [method, route] = testCase.route.split(' ') as ['GET' | 'POST' | 'PUT' | 'DELETE', string];
        const before = await refusedCount();
        const response = await client.request(method, testCase.url(ids), testCase.body?.(ids));
        expect({ route, status: response.statusCode }).toEqual({ route, status });
        const refused = (await refusedCount()) - before;
        // 403 and 404 are refusals of a known actor: each writes one audit record. 401 has no actor.
        expect(refused).toBe(status === 403 || status === 404 ? 1 : 0);
      });
    }
  }

  it('lets an analyst reach nothing but their own account and the figures (aggregates, no family)', () => {
    const reachable = CASES.filter((c) => c.expect.analyst < 300).map((c) => c.route);
    expect(reachable.sort()).toEqual(
      [
        'GET /api/health',
        'GET /api/ready',
        'GET /api/me',
        'PUT /api/me/language',
        'GET /api/me/digest',
        'PUT /api/me/digest',
        'GET /api/me/recovery-codes',
        'GET /api/notifications',
        'POST /api/notifications/read',
        'POST /api/notifications/:notificationId/read',
        // No personal data: the organisations, a JGZ schedule, the knowledge cards and parents' information pages, what FHIR offers.
        'GET /fhir/metadata',
        'GET /fhir/.well-known/smart-configuration',
        // Organization only: every other type refuses an analyst.
        'GET /fhir/:type/:id',
        'GET /fhir/:type',
        'GET /api/organisations',
        'GET /api/organisations/:id/jgz-schedule',
        'GET /api/knowledge',
        'GET /api/parent-information',
        'GET /api/figures',
      ].sort(),
    );
  });

  it('answers a refusal with the reason code and no data', async () => {
    const response = await (clients.professional as Client).get(`/api/accounts/${ids.otherAccount}`);
    expect(response.json()).toEqual({ status: 404, code: 'NOT_FOUND', message: 'Not found.', fields: [] });
  });

  it('records what was refused, and to whom', async () => {
    await (clients.professional as Client).get(`/api/organisations/${ids.otherOrganisation}/members`);
    const last = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('outcome', '=', 'refused')
      .orderBy('occurred_at', 'desc')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(last).toMatchObject({
      action: 'organisation.members.read',
      record_type: 'organisation',
      record_id: ids.otherOrganisation,
      actor_organisation_id: ids.ownOrganisation,
    });
  });
});
