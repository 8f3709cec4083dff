"""Writes to participants: people, bases, consents, questionnaires, programmes, pairs, plans and meetings.

Views, forms, imports, matching and commands all call these. Two kinds of refusal, as in
``roadmaps.services``:

* ``PermissionDenied`` — the actor may not act on this record at all (outside their scope, or a
  read-only role); views answer 403 (or 404 where the record is invisible);
* ``DomainError`` — the actor may act, but a rule of the domain says no (no consent, a minor who
  signed their own consent, a mentor at capacity, a person of another school…); its Russian
  message is shown as is. People chosen in a form but outside the actor's scope are refused with a
  ``DomainError`` too: the form shows the message, nothing is saved, and nothing about the foreign
  person is revealed.

``full_clean()`` errors are let through as ``ValidationError`` so that forms show them by field.
Every service is atomic: a refusal leaves nothing behind.
"""

from .bases import (
    ENTRY_FIELDS,
    MENTOR_KINDS_BY_PERSON,
    base_entry_remove,
    base_entry_update,
    base_entry_validate,
    participant_enrol,
)
from .common import STUDENT_BIRTH_DATE_REQUIRED
from .consents import (
    AGREEMENT_FIELDS,
    ANONYMOUS_SURNAME,
    CONSENT_FIELDS,
    WITHDRAWAL_REASON,
    agreement_record,
    consent_record,
    consent_validate,
    consent_withdraw,
)
from .guardianships import guardianship_link
from .meetings import (
    MEETING_PLAN_FIELDS,
    MEETING_RATE_FIELDS,
    MEETING_RECORD_FIELDS,
    meeting_log,
    meeting_plan,
    meeting_rate,
    meeting_record,
)
from .pairs import (
    EMPLOYER_KINDS,
    STAGES_BY_STATUS,
    pair_complete,
    pair_create,
    pair_member_add,
    pair_member_remove,
    pair_stage_set,
    pair_terminate,
    pairs_confirm,
    school_year_close,
)
from .people import PERSON_FIELD_ORDER, PERSON_FIELDS, person_create, person_update, person_validate
from .plans import TASK_FIELDS, plan_save, plan_task_add, plan_task_update
from .programmes import PROGRAMME_FIELDS, programme_copy, programme_create, programme_update
from .questionnaire_links import (
    questionnaire_answer,
    questionnaire_link_reopen,
    questionnaire_remind,
    questionnaire_send,
    questionnaire_sheets_issue,
)
from .questionnaires import (
    QUESTION_FIELDS,
    QUESTIONNAIRE_FIELDS,
    questionnaire_copy,
    questionnaire_create,
    questionnaire_new_version,
    questionnaire_templates_load,
    questionnaire_update,
    response_submit,
)

__all__ = [
    "AGREEMENT_FIELDS",
    "ANONYMOUS_SURNAME",
    "CONSENT_FIELDS",
    "EMPLOYER_KINDS",
    "ENTRY_FIELDS",
    "MEETING_PLAN_FIELDS",
    "MEETING_RATE_FIELDS",
    "MEETING_RECORD_FIELDS",
    "MENTOR_KINDS_BY_PERSON",
    "PERSON_FIELDS",
    "PERSON_FIELD_ORDER",
    "PROGRAMME_FIELDS",
    "QUESTIONNAIRE_FIELDS",
    "QUESTION_FIELDS",
    "STAGES_BY_STATUS",
    "STUDENT_BIRTH_DATE_REQUIRED",
    "TASK_FIELDS",
    "WITHDRAWAL_REASON",
    "agreement_record",
    "base_entry_remove",
    "base_entry_update",
    "base_entry_validate",
    "consent_record",
    "consent_validate",
    "consent_withdraw",
    "guardianship_link",
    "meeting_log",
    "meeting_plan",
    "meeting_rate",
    "meeting_record",
    "pair_complete",
    "pair_create",
    "pair_member_add",
    "pair_member_remove",
    "pair_stage_set",
    "pair_terminate",
    "pairs_confirm",
    "participant_enrol",
    "person_create",
    "person_update",
    "person_validate",
    "plan_save",
    "plan_task_add",
    "plan_task_update",
    "programme_copy",
    "programme_create",
    "programme_update",
    "questionnaire_answer",
    "questionnaire_copy",
    "questionnaire_create",
    "questionnaire_link_reopen",
    "questionnaire_new_version",
    "questionnaire_remind",
    "questionnaire_send",
    "questionnaire_sheets_issue",
    "questionnaire_templates_load",
    "questionnaire_update",
    "response_submit",
    "school_year_close",
]
