import { createSession } from '../accounts/sessions.ts';
import { buildApp } from '../app.ts';
import { migrate } from '../database/migrate.ts';
import { CliError, parseArgs, runCli } from './run-cli.ts';

/**
 * npm run admin -- --as ADMIN-EMAIL COMMAND [--option value …]
 * The administration an IT department scripts, as a named administrator: every command goes
 * through Kring's own API (the same validation, rules and audit trail as the web app), in a
 * session that ends when the command does.
 */
const USAGE = `Usage: npm run admin -- --as ADMIN-EMAIL COMMAND [options]
  organisations                                   list the organisations (id, type, identifier, people)
  organisation:add --name N --type T [--identifier AGB] [--email E] [--phone P]
  invite --email E --name N --organisation ID-OR-NAME --discipline D
  role --email E --discipline D                   change a professional's role
  offboard --email E [--successor EMAIL]          deactivate; families and tasks to the successor
  second-factor:reset --email E                   after a lost phone; the person is e-mailed`;

await runCli(async (config, database) => {
  const [command, ...rest] = process.argv.slice(2).filter((arg, i, all) => !(arg === '--as' || all[i - 1] === '--as'));
  const asIndex = process.argv.indexOf('--as');
  const adminEmail = asIndex > 0 ? process.argv[asIndex + 1] : process.env.KRING_CLI_ADMIN;
  if (!command || command.startsWith('--') || !adminEmail) throw new CliError(USAGE);
  const args = parseArgs(rest);
  await migrate(database);
  const { db } = database;
  const admin = await db
    .selectFrom('accounts')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', adminEmail.trim().toLowerCase()))
    .where('kind', '=', 'admin')
    .where('active', '=', true)
    .executeTakeFirst();
  if (!admin) throw new CliError(`No active administrator with the address ${adminEmail}.`);

  const app = await buildApp({ config: { ...config, webDist: undefined }, database }, { logger: false });
  const { token, session } = await createSession(db, config, admin.id, 'active');
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => {
    const response = await app.inject({
      method,
      url,
      headers: {
        cookie: `kring_session=${token}`,
        'x-csrf-token': session.csrfToken,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = response.json();
    if (response.statusCode >= 400) {
      const fields = (json.fields ?? []) as { field: string; message: string }[];
      throw new CliError(
        [json.message, ...fields.map((f) => `  ${f.field.replace(/^body\./, '--')}: ${f.message}`)].join('\n'),
      );
    }
    return json;
  };
  const accountId = async (email: string | undefined, option: string) => {
    if (!email) throw new CliError(`Missing --${option}.`);
    const row = await db
      .selectFrom('accounts')
      .select('id')
      .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
      .executeTakeFirst();
    if (!row) throw new CliError(`No account with the address ${email} (--${option}).`);
    return row.id;
  };

  try {
    switch (command) {
      case 'organisations': {
        const { organisations } = await call('GET', '/api/admin/organisations');
        for (const o of organisations) {
          console.log(
            [o.id, o.type, o.name, o.identifier ?? '', `${o.activePeople} people`, o.active ? '' : 'inactive']
              .join('\t')
              .trimEnd(),
          );
        }
        return 0;
      }
      case 'organisation:add': {
        const created = await call('POST', '/api/admin/organisations', {
          name: args.name,
          type: args.type,
          identifier: args.identifier ?? null,
          contactEmail: args.email ?? null,
          contactPhone: args.phone ?? null,
        });
        console.log(`Organisation added: ${created.organisationId}`);
        return 0;
      }
      case 'invite': {
        const { organisations } = await call('GET', '/api/admin/organisations');
        const wanted = (args.organisation ?? '').toLowerCase();
        const organisation = organisations.find(
          (o: { id: string; name: string }) => o.id === args.organisation || o.name.toLowerCase() === wanted,
        );
        if (!organisation) throw new CliError(`No organisation "${args.organisation ?? ''}" (--organisation).`);
        await call('POST', '/api/invitations', {
          email: args.email,
          name: args.name,
          organisationId: organisation.id,
          discipline: args.discipline,
        });
        console.log(`Invitation sent to ${args.email}.`);
        return 0;
      }
      case 'role': {
        await call('PUT', `/api/accounts/${await accountId(args.email, 'email')}/role`, {
          discipline: args.discipline,
        });
        console.log(`Role of ${args.email} changed to ${args.discipline}.`);
        return 0;
      }
      case 'offboard': {
        const successor = args.successor ? await accountId(args.successor, 'successor') : undefined;
        const done = await call(
          'POST',
          `/api/accounts/${await accountId(args.email, 'email')}/offboard`,
          successor ? { successorAccountId: successor } : {},
        );
        console.log(`${args.email} offboarded: ${done.families} families and ${done.tasks} tasks passed on.`);
        return 0;
      }
      case 'second-factor:reset': {
        await call('POST', `/api/accounts/${await accountId(args.email, 'email')}/second-factor/reset`);
        console.log(`Second factor of ${args.email} reset; they were e-mailed a link to connect an app again.`);
        return 0;
      }
      default:
        throw new CliError(USAGE);
    }
  } finally {
    await db.deleteFrom('sessions').where('id', '=', session.id).execute();
    await app.close();
  }
});
