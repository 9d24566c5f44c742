// The appointments feature's English texts, same keys as fr/appointments.ts (issue 19): booking a visio appointment at the booth, the slip, the home's
// reminder at the time, the mediator's list.
import type { appointmentsFr } from '../fr/appointments.js';
import type { Widen } from '../widen.js';

export const appointmentsEn: Widen<typeof appointmentsFr> = {
  appointments: {
    take: 'Book an appointment',
    takeHint: 'Choose a day and a time. Come back to the booth then to talk to an adviser.',
    title: 'Video appointment with {{organisation}}',
    loading: 'We are looking for free appointments…',
    retry: 'Try again',
    back: 'Back',
    previous: 'Previous',
    next: 'Next',
    step: {
      subject: 'What is the appointment about?',
      day: 'Which day?',
      time: 'At what time, {{day}}?',
      confirm: 'Check your appointment',
    },
    subjects: 'Appointment subjects',
    days: 'Days with free appointments',
    times: 'Free times',
    noSlot: 'There is no free appointment at the moment. Come back later or ask the mediator.',
    summary: {
      when: '{{day}} at {{time}}',
      subject: 'Subject: {{subject}}',
    },
    note: {
      legend: 'For the adviser (optional)',
      label: 'Your first name or initials',
      hint: '40 characters at most.',
      consent: 'I agree that the adviser sees this first name or these initials. They are erased after the appointment.',
    },
    confirm: 'Confirm the appointment',
    sending: 'Booking…',
    otherSlots: 'Other free times',
    done: {
      title: 'Your appointment is booked',
      when: '{{organisation}}, {{day}} at {{time}}',
      comeBack: 'Come back to the booth a few minutes before the time. Press “Join” on the home screen.',
      bring: 'To bring:',
      print: 'Print the appointment',
      home: 'Done',
    },
    errors: {
      SLOT_TAKEN: 'This slot has just been taken. Choose another time.',
      UNKNOWN_SUBJECT: 'This subject is no longer offered. Choose another subject.',
      BAD_NOTE: 'The first name or initials contain characters that are not accepted.',
      NOTE_TOO_LONG: 'The first name or initials are too long: 40 characters at most.',
      NOTE_WITHOUT_CONSENT: 'To give a first name or initials, tick the consent box. Otherwise, erase them.',
      TOO_MANY_APPOINTMENTS: 'This booth already has many upcoming appointments. Ask the mediator.',
      UNKNOWN_APPOINTMENT: 'This appointment no longer exists.',
      NOT_OFFERED: 'This hub does not offer appointments. Ask the mediator.',
      NO_SLOT: 'This slot no longer exists. Choose another time.',
      HUB_UNREACHABLE: 'The booth cannot reach the appointment service. Try again in a moment.',
      NO_ANSWER: 'The appointment service does not answer. Try again in a moment.',
      other: 'The appointment could not be booked. Try again or ask the mediator.',
    },
    reminder: {
      section: 'Appointment now',
      title: 'Appointment {{organisation}} at {{time}}',
      join: 'Join',
    },
    mediator: {
      tab: 'Appointments',
      title: 'This booth’s appointments',
      none: 'No upcoming appointment booked at this booth.',
      bookFor: 'Book an appointment for a visitor with:',
      book: 'Book an appointment: {{organisation}}',
      cancel: 'Cancel',
      cancelled: 'Appointment cancelled: the slot is free again.',
      status: {
        booked: 'Booked',
        honoured: 'Honoured',
        missed: 'Missed',
        cancelled: 'Cancelled',
        closed: 'Done',
      },
    },
  },
};
