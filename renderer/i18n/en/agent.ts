// The agents' console's English texts (`agent.*`), same keys as fr/agent.ts.
import type { agentFr } from '../fr/agent.js';
import type { Widen } from '../widen.js';

export const agentEn: Widen<typeof agentFr> = {
  agent: {
    title: 'Advisers’ console',
    login: {
      title: 'Sign in',
      login: 'Login',
      password: 'Password',
      submit: 'Sign in',
      failed: 'Login or password refused.',
      unreachable: 'The call service does not answer. Trying again…',
      demo: 'Demo',
    },
    logout: 'Sign out',
    status: { label: 'My status', available: 'Available', away: 'Away' },
    connection: { ready: 'Connected', reconnecting: 'Connection lost: reconnecting…', refused: 'Connection refused.' },
    queue_one: '{{count}} person is waiting.',
    queue_other: '{{count}} people are waiting.',
    noCall: 'No call for now.',
    cameraReady: 'Camera and microphone ready for the next call: nothing is sent until you answer.',
    ringing: { title: 'Incoming call', from: '{{site}} — {{organisation}}', accept: 'Answer', decline: 'Decline' },
    call: {
      with: 'In a call with {{site}}',
      timer: 'Time: {{time}}',
      remote: 'The booth’s picture',
      self: 'My picture',
      mute: 'Mute the microphone',
      unmute: 'Unmute the microphone',
      cameraOff: 'Turn the camera off',
      cameraOn: 'Turn the camera on',
      hangup: 'Hang up',
      audioOnlyOn: 'Sound only',
      audioOnlyOff: 'Turn the picture back on',
    },
    photos: {
      title: 'Documents received',
      none: 'No document yet.',
      photo: 'Document {{n}}',
      zoom: 'Enlarge document {{n}}',
      download: 'Download',
      close: 'Close',
    },
    sendPdf: {
      button: 'Send a document to print',
      notPdf: 'Choose a PDF file.',
      tooLarge: 'The file is larger than 10 MB.',
      sending: 'Sending: {{percent}} %',
      sent: 'The booth received the document (fingerprint checked).',
      failed: 'The document did not arrive. Try again.',
    },
    ended: {
      hangup_booth: 'The booth hung up.',
      hangup_agent: 'You hung up.',
      cancelled: 'The call was cancelled.',
      peer_lost: 'The connection with the booth was lost.',
      hub_restart: 'The call service restarted.',
      revoked: 'Access revoked.',
      connection_lost: 'Your connection is down: the call is over.',
    },
  },
};
