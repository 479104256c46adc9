"""Who may open what: one declared rule per route.

The rules (issue: children's data) are
- a teacher sees the cases they are responsible for;
- a coordinator sees every case of their schools;
- an admin manages their schools' people and settings, but reads no case unless responsible;
- pupils reach only their own card, by its unguessable token;
- nobody reaches anything of another school; unknown or foreign ids answer 404.

Views enforce these (``web.pages.visible_cases``/``get_case``, the school checks in the
settings views). This table declares them, and ``tests/core/test_access.py`` walks every route in
``app.url_map`` with every kind of actor against it: a route without a rule here fails that
test, so no new page can slip through unexamined.
"""

from __future__ import annotations

PUBLIC = "public"  # anyone: the login page, static files, logging out
TOKEN = "token"  # anyone holding the unguessable token in the address (cards, calendar feed)
SIGNED_IN = "signed-in"  # any staff member, about their own things
OWN = "own"  # a record of the signed-in staff member only (their notices)
CASE = "case"  # the case's responsible teacher and the coordinators of its school
SCHOOL_SETTINGS = "school-settings"  # coordinators and admins, for their own schools
ADMIN = "admin"  # admins, for the people and pupils of their own schools
BOARD = "board"  # board admins, for the schools of their own board
SCHOOL_RECORDS = "school-records"  # coordinators and admins of that school (audit trails)
SCHOOL_COORDINATOR = "school-coordinator"  # coordinators of that school only
COORDINATOR = "coordinator"  # coordinators, about their own schools (the overview)
LETTERS = "letters"  # who reads the letterbox of the letter's school (letterbox/inbox.py)

RULES: dict[str, str] = {
    "static": PUBLIC,
    "health.livez": PUBLIC,  # for probes: no personal data, no login
    "health.readyz": PUBLIC,
    # Prometheus: with METRICS_TOKEN, or from the machine itself (web/metrics.allowed)
    "metrics.metrics": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": PUBLIC,
    "auth.lock": SIGNED_IN,
    "sso.start": PUBLIC,  # to the school's provider; the provider decides who comes back
    "sso.callback": PUBLIC,
    "sign_ins.settings": ADMIN,
    "sign_ins.switch_off": ADMIN,
    "auth.keep_alive": SIGNED_IN,
    "auth.password": SIGNED_IN,
    "account.page": SIGNED_IN,
    "account.set_language": SIGNED_IN,
    "admin.people": ADMIN,
    "admin.person_add": ADMIN,
    "admin.person_page": ADMIN,
    "admin.person_change": ADMIN,
    "admin.person_link": ADMIN,
    "admin.set_active": ADMIN,
    "schools.schools": BOARD,
    "schools.school_create": BOARD,
    "schools.school_page": BOARD,
    "schools.school_change": BOARD,
    "schools.school_admin_add": BOARD,
    "schools.board_rename": BOARD,
    "invite.welcome": TOKEN,
    "invite.forgotten": PUBLIC,
    "pupil_imports.form": ADMIN,
    "pupil_imports.preview": ADMIN,
    "pupil_imports.confirm": ADMIN,
    "cards.card": TOKEN,
    "parent_letters.letter_form": CASE,
    "parent_letters.letter_give": CASE,
    "parent_letters.letter_print": CASE,
    # the school's letterbox, by the address on its poster: anyone may write or read an
    # answer with their code (letterbox/public.py)
    "letterbox_public.write": TOKEN,
    "letterbox_public.send": TOKEN,
    "letterbox_public.answer_form": TOKEN,
    "letterbox_public.read_answer": TOKEN,
    # the people who read a school's letterbox (letterbox/inbox.py); its poster for its staff
    "letterbox.inbox_page": SIGNED_IN,
    "letterbox.letter_page": LETTERS,
    "letterbox.mark_read": LETTERS,
    "letterbox.answer": LETTERS,
    "letterbox.close": LETTERS,
    "letterbox.poster": LETTERS,
    "letterbox.new_address": LETTERS,
    "feed.calendar": TOKEN,
    "cases.home": SIGNED_IN,
    # practising with made-up pupils (steungroep.practice): one's own practice cases
    "practice.index": SIGNED_IN,
    "practice.start": SIGNED_IN,
    "practice.remove": CASE,
    "archive.archive": SIGNED_IN,
    "cases.melding_form": SIGNED_IN,
    "cases.melding_create": SIGNED_IN,
    "cases.pupil_choice_search": SIGNED_IN,
    "planning.agenda": SIGNED_IN,
    "planning.agenda_new": SIGNED_IN,
    "planning.agenda_revoke": SIGNED_IN,
    "planning.notice_seen": OWN,
    "cases.case_page": CASE,
    "evaluations.decision_form": CASE,
    "evaluations.decision_save": CASE,
    "evaluations.group_evaluation_form": CASE,
    "evaluations.group_evaluation_save": CASE,
    "cases.informed_create": CASE,
    "cases.triage_change": CASE,
    "contacts.talk_create": CASE,
    "contacts.restore_create": CASE,
    "contacts.check_save": CASE,
    "contacts.involved_add": CASE,
    "contacts.involved_remove": CASE,
    "contacts.consequence_create": CASE,
    "contacts.consequence_remove": CASE,
    "stappenplan.step_done": CASE,
    "stappenplan.step_plan": CASE,
    "stappenplan.step_add": CASE,
    "stappenplan.plan_close": CASE,
    "group.invitations": CASE,
    "evaluations.pupil_evaluation_form": CASE,
    "evaluations.pupil_evaluation_save": CASE,
    "talk.talk_create": CASE,
    "talk.talk_form": CASE,
    "card_screens.card_replace": CASE,
    "group.group_confirm": CASE,
    "group.group_page": CASE,
    "group.member_add": CASE,
    "group.member_remove": CASE,
    "group.pupil_search": CASE,
    "meeting.action_save": CASE,
    "card_screens.card_print": CASE,
    "card_screens.card_qr": CASE,
    "card_screens.cards_names": CASE,
    "card_screens.cards_print": CASE,
    "meeting.meeting_complete": CASE,
    "meeting.meeting_done": CASE,
    "meeting.meeting_page": CASE,
    "planning.move_evaluation": CASE,
    "planning.plan_meeting": CASE,
    "settings.settings": SCHOOL_SETTINGS,
    "settings.add_day_off": SCHOOL_SETTINGS,
    "settings.remove_day_off": SCHOOL_SETTINGS,
    "settings.save_settings": SCHOOL_SETTINGS,
    "records.pupils": SCHOOL_SETTINGS,
    "records.case_log": SCHOOL_RECORDS,
    "records.pupil_log": SCHOOL_RECORDS,
    "records.correct": SCHOOL_COORDINATOR,
    "records.access_copy": SCHOOL_COORDINATOR,
    "records.access_copy_json": SCHOOL_COORDINATOR,
    "records.erase": ADMIN,
    "overview.dashboard": COORDINATOR,
    "statistics.page": COORDINATOR,
    "dossier.report": CASE,
    "dossier.notes": CASE,
    "dossier.notes_csv": CASE,
    "statistics.export": COORDINATOR,
    "overview.reassign": SCHOOL_COORDINATOR,
    "overview.add_note": SCHOOL_COORDINATOR,
    "overview.row_actions": SCHOOL_COORDINATOR,
}
