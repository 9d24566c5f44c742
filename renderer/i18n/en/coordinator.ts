// The coordinator's dashboard's English texts (`coordinator.*`), same keys as fr/coordinator.ts.
import type { coordinatorFr } from '../fr/coordinator.js';
import type { Widen } from '../widen.js';

export const coordinatorEn: Widen<typeof coordinatorFr> = {
  coordinator: {
    title: 'Department dashboard',
    loginTitle: 'Coordinator sign-in',
    login: 'Login',
    password: 'Password',
    signIn: 'Sign in',
    signOut: 'Sign out',
    wrongCredentials: 'Wrong login or password.',
    tooMany: 'Too many attempts. Try again in {{seconds}} seconds.',
    failed: 'The server does not answer. Try again.',
    from: 'First week',
    to: 'Last week',
    show: 'Show',
    gridTitle: 'Services per site and week',
    gridCaption: 'Services per site, from {{from}} to {{to}}',
    site: 'Site',
    total: 'Total',
    noData: 'Nothing received',
    chartTitle: 'Department total per week',
    chartBar_one: '{{week}}: {{count}} service',
    chartBar_other: '{{week}}: {{count}} services',
    orgTitle: 'Totals per organisation and type of service',
    organisation: 'Organisation',
    csv: 'Export as CSV',
    print: 'Print the grid',
    lastReceived: 'Last received: {{date}}',
    noSites: 'No site has sent figures yet.',
    services: { info: 'Information / guidance', documents: 'Documents', visio: 'Video reception', teleservice: 'Online services', internet: 'Internet access' },
  },
};
